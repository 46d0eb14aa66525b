//! The full-text index: a tantivy index derived from the posts table, never the system of record.

use crate::column_cache::ColumnCache;
use crate::query::{to_tantivy, ID_FIELD};
use crate::StoreError;
use chrono::{DateTime, Utc};
use std::path::Path;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument};
use townhall_core::query::Query;
use townhall_core::{Analysis, ChannelKey, PostKind, StoredPost};

pub(crate) const TOKENIZER: &str = "townhall";
const WRITER_MEMORY: usize = 200_000_000;

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (BM25); newest first among equals.
    #[default]
    Relevance,
    Newest,
    Oldest,
}

impl Sort {
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "relevance" => Some(Sort::Relevance),
            "newest" | "time" => Some(Sort::Newest),
            "oldest" => Some(Sort::Oldest),
            _ => None,
        }
    }
}

/// Post ids of one page of hits, and how many posts matched in all.
#[derive(Debug, Clone)]
pub struct SearchHits {
    pub total: usize,
    pub ids: Vec<i64>,
}

/// What the index needs of a post, borrowed from a stored post or from one being inserted.
pub(crate) struct IndexDoc<'a> {
    pub id: i64,
    pub channel: &'a ChannelKey,
    /// Handle or pseudonym, as stored.
    pub author: Option<&'a str>,
    pub kind: PostKind,
    pub title: Option<&'a str>,
    pub text: &'a str,
    pub created_at: DateTime<Utc>,
    pub own: bool,
    pub analysis: &'a Analysis,
}

impl<'a> From<&'a StoredPost> for IndexDoc<'a> {
    fn from(p: &'a StoredPost) -> Self {
        IndexDoc {
            id: p.id,
            channel: &p.channel,
            author: p.author.as_deref(),
            kind: p.kind,
            title: p.title.as_deref(),
            text: &p.text,
            created_at: p.created_at,
            own: p.own,
            analysis: &p.analysis,
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub text: Field,
    pub lang: Field,
    pub channel: Field,
    pub author: Field,
    pub own: Field,
    pub question: Field,
    pub sentiment: Field,
    pub created: Field,
    pub hashtag: Field,
    pub mention: Field,
    pub kind: Field,
}

pub(crate) struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// Taken only while this process writes (tantivy allows one writer per index across processes),
    /// so `townhall search` and a running server can share a store with an import in another process.
    writer: Mutex<Option<IndexWriter>>,
    pub(crate) fields: Fields,
    /// Fast-field columns opened once per segment.
    columns: Arc<ColumnCache>,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fast = NumericOptions::default().set_indexed().set_fast();
    let fields = Fields {
        id: b.add_i64_field(ID_FIELD, fast.clone()),
        text: b.add_text_field("text", text_options),
        lang: b.add_text_field("lang", STRING),
        channel: b.add_text_field("channel", STRING),
        author: b.add_text_field("author", STRING),
        own: b.add_u64_field(crate::query::OWN_FIELD, fast.clone()),
        question: b.add_u64_field(crate::query::QUESTION_FIELD, fast.clone()),
        sentiment: b.add_f64_field(crate::query::SENTIMENT_FIELD, fast.clone()),
        created: b.add_i64_field(crate::query::CREATED_FIELD, fast),
        hashtag: b.add_text_field("hashtag", STRING),
        mention: b.add_text_field("mention", STRING),
        kind: b.add_text_field("kind", STRING),
    };
    (b.build(), fields)
}

/// Words are split on anything that is not a letter or digit, lower-cased and folded to ASCII where
/// a plain form exists ("café" finds "cafe"). Query terms go through the same analyzer.
pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(60))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

impl SearchIndex {
    pub(crate) fn open(dir: &Path) -> Result<SearchIndex, StoreError> {
        std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, fields) = schema();
        let directory = MmapDirectory::open(dir).map_err(|e| StoreError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let index = Index::open_or_create(directory, schema)?;
        index.tokenizers().register(TOKENIZER, analyzer());
        // Commits made by another process (a CLI import beside a running server) show up on their own.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(None),
            fields,
            columns: Arc::new(ColumnCache::default()),
        })
    }

    /// Take the index's writer lock for this process (before anything is written to SQLite, so that
    /// two processes never interleave posts and the watermark stays true).
    pub(crate) fn begin_writing(&self) -> Result<(), StoreError> {
        let mut slot = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        self.acquire(&mut slot).map(|_| ())
    }

    fn acquire<'s>(
        &self,
        slot: &'s mut Option<IndexWriter>,
    ) -> Result<&'s mut IndexWriter, StoreError> {
        if slot.is_none() {
            *slot = Some(self.index.writer(WRITER_MEMORY).map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => StoreError::Busy,
                other => StoreError::Index(other),
            })?);
        }
        slot.as_mut().ok_or(StoreError::Busy)
    }

    /// The highest post id whose document is committed.
    /// Posts the index can find (as of its reader's last reload): cheap, unlike counting rows.
    pub(crate) fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub(crate) fn watermark(&self) -> Result<i64, StoreError> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .as_deref()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0))
    }

    pub(crate) fn add<'a>(
        &self,
        docs: impl Iterator<Item = IndexDoc<'a>>,
    ) -> Result<(), StoreError> {
        let mut slot = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        let writer = self.acquire(&mut slot)?;
        let f = &self.fields;
        for d in docs {
            let mut doc = TantivyDocument::default();
            doc.add_i64(f.id, d.id);
            if let Some(title) = d.title {
                doc.add_text(f.text, title);
            }
            doc.add_text(f.text, d.text);
            doc.add_text(f.lang, d.analysis.lang.as_deref().unwrap_or("und"));
            let kind = d.channel.kind.as_str();
            let account = d.channel.account.to_lowercase();
            doc.add_text(f.channel, kind);
            doc.add_text(f.channel, format!("{kind}:{account}"));
            doc.add_text(f.channel, &account);
            if let Some(author) = d.author {
                doc.add_text(f.author, author.to_lowercase());
            }
            doc.add_u64(f.own, d.own as u64);
            doc.add_u64(f.question, d.analysis.is_question as u64);
            doc.add_f64(f.sentiment, d.analysis.sentiment.compound);
            doc.add_i64(f.created, d.created_at.timestamp_millis());
            for tag in &d.analysis.hashtags {
                doc.add_text(f.hashtag, tag);
            }
            for mention in &d.analysis.mentions {
                doc.add_text(f.mention, mention);
            }
            doc.add_text(f.kind, d.kind.as_str());
            writer.add_document(doc)?;
        }
        Ok(())
    }

    /// Commit what was added, recording `max_id` as the new watermark, and refresh searchers.
    pub(crate) fn commit(&self, max_id: i64) -> Result<(), StoreError> {
        let mut slot = self.writer.lock().map_err(|_| StoreError::Poisoned)?;
        let Some(writer) = slot.as_mut() else {
            // This process added nothing since its last commit.
            drop(slot);
            self.reader.reload()?;
            return Ok(());
        };
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&max_id.to_string());
        prepared.commit()?;
        // Let other processes write again.
        *slot = None;
        drop(slot);
        self.reader.reload()?;
        Ok(())
    }

    pub(crate) fn search(
        &self,
        query: &Query,
        sort: Sort,
        limit: usize,
        offset: usize,
    ) -> Result<SearchHits, StoreError> {
        let searcher = self.reader.searcher();
        let live: Vec<tantivy::index::SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        self.columns.prune(&live);
        let tantivy_query = to_tantivy(query, &self.fields, &self.columns);
        let limit = limit.max(1);
        let addresses: Vec<DocAddress>;
        let total;
        match sort {
            Sort::Relevance => {
                let (count, top) = searcher.search(
                    &*tantivy_query,
                    &(Count, TopDocs::with_limit(limit).and_offset(offset)),
                )?;
                total = count;
                addresses = top.into_iter().map(|(_, a)| a).collect();
            }
            Sort::Newest | Sort::Oldest => {
                let order = if sort == Sort::Newest {
                    Order::Desc
                } else {
                    Order::Asc
                };
                let (count, top) = searcher.search(
                    &*tantivy_query,
                    &(
                        Count,
                        TopDocs::with_limit(limit)
                            .and_offset(offset)
                            .order_by_fast_field::<i64>("created", order),
                    ),
                )?;
                total = count;
                addresses = top.into_iter().map(|(_, a)| a).collect();
            }
        }
        let mut ids = Vec::with_capacity(addresses.len());
        for address in addresses {
            let segment = searcher.segment_reader(address.segment_ord);
            let column = self.columns.i64(segment, ID_FIELD)?;
            if let Some(id) = column.first(address.doc_id) {
                ids.push(id);
            }
        }
        Ok(SearchHits { total, ids })
    }
}

impl SearchIndex {
    /// Ids of every post matching `query`, ascending (for insight filters and drill-downs).
    pub(crate) fn matching_ids(&self, query: &Query) -> Result<Vec<i64>, StoreError> {
        let searcher = self.reader.searcher();
        let tantivy_query = to_tantivy(query, &self.fields, &self.columns);
        let mut ids = searcher.search(
            &*tantivy_query,
            &IdCollector {
                columns: self.columns.clone(),
            },
        )?;
        ids.sort_unstable();
        Ok(ids)
    }
}

/// Collects the `id` fast field of every matching document, without scoring.
struct IdCollector {
    columns: Arc<ColumnCache>,
}

struct SegmentIdCollector {
    column: tantivy::columnar::Column<i64>,
    ids: Vec<i64>,
}

impl tantivy::collector::Collector for IdCollector {
    type Fruit = Vec<i64>;
    type Child = SegmentIdCollector;

    fn for_segment(
        &self,
        _segment_ord: tantivy::SegmentOrdinal,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentIdCollector> {
        Ok(SegmentIdCollector {
            column: self.columns.i64(segment, ID_FIELD)?,
            ids: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<i64>>) -> tantivy::Result<Vec<i64>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl tantivy::collector::SegmentCollector for SegmentIdCollector {
    type Fruit = Vec<i64>;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        if let Some(id) = self.column.first(doc) {
            self.ids.push(id);
        }
    }

    fn harvest(self) -> Vec<i64> {
        self.ids
    }
}
