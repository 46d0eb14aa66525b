//! regulations.gov comment exports (CSV): columns are found by header name, never position.
//! Both the bulk-download header (`Document ID`, `Docket ID`, `Comment`, `Posted Date`, …) and
//! the API v4 attribute names (`documentId`, `docketId`, `comment`, `postedDate`, …) are
//! understood, in any order and case.
//!
//! Channel `regulations_gov:<docket id>` (from the `Docket ID` column, else derived from the
//! comment's document id, else `ImportOptions.account`). A comment answers the document it was
//! filed on: `Comment on Document ID` becomes `reply_to` and `thread_root`, kind `Reply`.
//! Rows whose `Document Type` is not `Public Submission` (rules, notices in a docket export) are
//! rejected as not comments.

use super::generic::csv_records;
use crate::common::{file_reject, reject, strip_bom};
use crate::time::parse_flexible;
use crate::{ImportOptions, Location, Records};
use std::io::BufRead;
use townhall_core::{AuthorRef, ChannelKey, ChannelKind, IncomingPost, PostKind};

/// Accepted header names per field, compared case-insensitively.
const ID: &[&str] = &["Document ID", "documentId", "Comment ID", "commentId"];
const DOCKET: &[&str] = &["Docket ID", "docketId"];
const TEXT: &[&str] = &["Comment", "comment"];
const POSTED: &[&str] = &["Posted Date", "postedDate"];
const RECEIVED: &[&str] = &["Received Date", "receiveDate", "receivedDate"];
const TITLE: &[&str] = &["Title", "title"];
const FIRST_NAME: &[&str] = &["First Name", "firstName"];
const LAST_NAME: &[&str] = &["Last Name", "lastName"];
const ORGANIZATION: &[&str] = &["Organization Name", "organization"];
const DOCUMENT_TYPE: &[&str] = &["Document Type", "documentType"];
const COMMENT_ON: &[&str] = &["Comment on Document ID", "commentOnDocumentId"];

const PUBLIC_SUBMISSION: &str = "Public Submission";

struct Columns {
    id: usize,
    text: usize,
    posted: Option<usize>,
    received: Option<usize>,
    docket: Option<usize>,
    title: Option<usize>,
    first_name: Option<usize>,
    last_name: Option<usize>,
    organization: Option<usize>,
    document_type: Option<usize>,
    comment_on: Option<usize>,
}

/// The docket of a document id: `EPA-HQ-OAR-2021-0317-0123` → `EPA-HQ-OAR-2021-0317`.
pub fn docket_of_document(document_id: &str) -> Option<&str> {
    let (docket, sequence) = document_id.rsplit_once('-')?;
    (!docket.is_empty() && !sequence.is_empty() && sequence.bytes().all(|b| b.is_ascii_digit()))
        .then_some(docket)
}

pub fn read<R: BufRead + Send + 'static>(name: &str, reader: R, opts: &ImportOptions) -> Records {
    let mut csv_reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(crate::common::CrlfToLf::new(reader));
    let header: Vec<String> = match csv_reader.byte_headers() {
        Ok(h) => h
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = if i == 0 { strip_bom(h) } else { h };
                String::from_utf8_lossy(h).trim().to_string()
            })
            .collect(),
        Err(e) => return file_reject(name, format!("cannot read the CSV header: {e}")),
    };
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let (Some(id), Some(text)) = (find(ID), find(TEXT)) else {
        return file_reject(
            name,
            "not a regulations.gov comment export: the header needs `Document ID` and `Comment`",
        );
    };
    let columns = Columns {
        id,
        text,
        posted: find(POSTED),
        received: find(RECEIVED),
        docket: find(DOCKET),
        title: find(TITLE),
        first_name: find(FIRST_NAME),
        last_name: find(LAST_NAME),
        organization: find(ORGANIZATION),
        document_type: find(DOCUMENT_TYPE),
        comment_on: find(COMMENT_ON),
    };
    if columns.posted.is_none() && columns.received.is_none() {
        return file_reject(
            name,
            "the header has neither `Posted Date` nor `Received Date`",
        );
    }
    let file = name.to_string();
    let fixed_account = opts.account.clone();
    Box::new(csv_records(name, csv_reader).map(move |row| {
        let (line, record) = row?;
        let at = Location::Line(line);
        let cell = |index: Option<usize>| -> Option<String> {
            let bytes = record.get(index?)?;
            let s = String::from_utf8_lossy(bytes);
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        };
        if let Some(document_type) = cell(columns.document_type) {
            if !document_type.eq_ignore_ascii_case(PUBLIC_SUBMISSION) {
                return Err(reject(
                    &file,
                    at,
                    format!("document type `{document_type}` is not a public comment"),
                ));
            }
        }
        let Some(document_id) = cell(Some(columns.id)) else {
            return Err(reject(&file, at, "empty `Document ID`"));
        };
        let raw_time = cell(columns.posted)
            .or_else(|| cell(columns.received))
            .ok_or_else(|| reject(&file, at.clone(), "no posted or received date"))?;
        let created_at = parse_flexible(&raw_time).ok_or_else(|| {
            reject(
                &file,
                at.clone(),
                format!("date `{raw_time}` is not a date"),
            )
        })?;
        let docket = fixed_account
            .clone()
            .or_else(|| cell(columns.docket))
            .or_else(|| docket_of_document(&document_id).map(str::to_string))
            .unwrap_or_else(|| document_id.clone());
        let text = cell(Some(columns.text)).unwrap_or_default();
        let mut post = IncomingPost::new(
            ChannelKey::new(ChannelKind::RegulationsGov, docket),
            document_id.clone(),
            text,
            created_at,
        );
        post.title = cell(columns.title);
        post.url = Some(format!("https://www.regulations.gov/comment/{document_id}"));
        let person = [cell(columns.first_name), cell(columns.last_name)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let display_name = match (person.is_empty(), cell(columns.organization)) {
            (false, Some(org)) => Some(format!("{person} ({org})")),
            (false, None) => Some(person),
            (true, org) => org,
        };
        post.author = AuthorRef {
            external_id: None,
            handle: None,
            display_name,
        };
        if let Some(document) = cell(columns.comment_on) {
            post.kind = PostKind::Reply;
            post.reply_to = Some(document.clone());
            post.thread_root = Some(document);
        }
        Ok(post)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockets_from_document_ids() {
        assert_eq!(
            docket_of_document("EPA-HQ-OAR-2021-0317-0123"),
            Some("EPA-HQ-OAR-2021-0317")
        );
        assert_eq!(docket_of_document("nodash"), None);
        assert_eq!(docket_of_document("A-B-x1"), None);
    }
}
