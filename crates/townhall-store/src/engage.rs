//! The store's inbox and idea operations: reads go to the reader pool, writes through the one writer.

use crate::{
    case_queue, case_work, cases, ideas, inbox_settings, AuditEntry, BulkAction, BulkOutcome,
    CaseCandidate, CaseChange, CaseDetail, CaseFactRow, CaseFiling, CaseFilter, CaseRow,
    FilingCounts, IdeaChange, IdeaDetail, IdeaFilter, IdeaRow, IntakeRule, NewIdea, OutboxRecord,
    Presence, ReplyRecord, RoutingRule, RuleTable, SavedReply, Store, StoreError, TeamSettings,
};

/// Filing cases.
impl Store {
    /// Where the last scan for new cases stopped (a post id).
    pub fn cases_watermark(&self) -> Result<i64, StoreError> {
        self.readers.with(cases::watermark)
    }

    /// The public's posts after post `after` that may be addressed to the agency, oldest first.
    pub fn case_candidates(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<CaseCandidate>, StoreError> {
        self.readers.with(|c| cases::candidates(c, after, limit))
    }

    /// Handles of the agency's own accounts, lower case.
    pub fn own_handles(&self) -> Result<Vec<String>, StoreError> {
        self.readers.with(cases::own_handles)
    }

    /// File posts into cases (joining duplicates) and move the scan's watermark, in one transaction.
    pub fn file_cases(
        &self,
        filings: &[CaseFiling],
        scanned_up_to: i64,
    ) -> Result<FilingCounts, StoreError> {
        let filed = cases::file(
            self.lock_writer()?.conn(),
            filings,
            Some(scanned_up_to),
            None,
        );
        self.case_counts.changed();
        filed.map(|(counts, _)| counts)
    }

    /// File one post a person flagged; returns its case (an open one it joined, or a new one).
    pub fn flag_post(
        &self,
        filing: &CaseFiling,
        audit: &AuditEntry<'_>,
    ) -> Result<(i64, FilingCounts), StoreError> {
        let filed = cases::file(
            self.lock_writer()?.conn(),
            std::slice::from_ref(filing),
            None,
            Some(audit),
        );
        self.case_counts.changed();
        let (counts, ids) = filed?;
        let id = ids
            .first()
            .copied()
            .ok_or_else(|| StoreError::NotFound(format!("post {}", filing.post_id)))?;
        Ok((id, counts))
    }

    /// Posts addressed to the agency per UTC day: `(day, posts, negative posts)`.
    pub fn addressed_daily_counts(
        &self,
        own_handles: &[String],
        negative_below: f64,
    ) -> Result<Vec<(i64, u64, u64)>, StoreError> {
        self.readers
            .with(|c| cases::addressed_daily_counts(c, own_handles, negative_below))
    }

    /// A single post's case candidate facts (for flagging any post).
    pub fn case_candidate(&self, post_id: i64) -> Result<Option<CaseCandidate>, StoreError> {
        self.readers.with(|c| cases::candidate(c, post_id))
    }
}

/// Reading and changing cases.
impl Store {
    /// A page of cases and the number matching in all. Counts over large queues are kept for a moment
    /// (see [`crate::case_counts`]): a page of 100,000 open cases would otherwise count them all each time.
    pub fn case_queue(&self, filter: &CaseFilter) -> Result<(Vec<CaseRow>, u64), StoreError> {
        let key = case_queue::count_key(filter);
        let total = match self.case_counts.get(&key) {
            Some(total) => total,
            None => {
                let generation = self.case_counts.generation();
                let total = self.readers.with(|c| case_queue::count(c, filter))?;
                self.case_counts.put(key, generation, total);
                total
            }
        };
        let rows = if total == 0 {
            Vec::new()
        } else {
            self.readers.with(|c| case_queue::page(c, filter))?
        };
        Ok((rows, total))
    }

    pub fn case_row(&self, id: i64) -> Result<Option<CaseRow>, StoreError> {
        self.readers.with(|c| case_queue::case_row(c, id))
    }

    pub fn case_detail(&self, id: i64) -> Result<Option<CaseDetail>, StoreError> {
        self.readers.with(|c| case_queue::detail(c, id))
    }

    pub fn case_replies(&self, case_id: i64) -> Result<Vec<ReplyRecord>, StoreError> {
        self.readers.with(|c| case_queue::replies(c, case_id))
    }

    /// Apply a change checked against the version the person saw; returns the new version.
    pub fn change_case(&self, change: &CaseChange<'_>) -> Result<i64, StoreError> {
        let changed = case_work::change(self.lock_writer()?.conn(), change);
        self.case_counts.changed();
        changed
    }

    pub fn bulk_change_cases(
        &self,
        case_ids: &[i64],
        action: &BulkAction,
        actor_id: Option<i64>,
        actor: &str,
    ) -> Result<BulkOutcome, StoreError> {
        let changed = case_work::bulk(
            self.lock_writer()?.conn(),
            case_ids,
            action,
            actor_id,
            actor,
        );
        self.case_counts.changed();
        changed
    }

    pub fn touch_case_presence(&self, case_id: i64, user_id: i64) -> Result<(), StoreError> {
        case_work::touch_presence(self.lock_writer()?.conn(), case_id, user_id)
    }

    pub fn case_presence(
        &self,
        case_id: i64,
        except_user: i64,
        since: i64,
    ) -> Result<Vec<Presence>, StoreError> {
        self.readers
            .with(|c| case_queue::presence(c, case_id, except_user, since))
    }

    pub fn wake_snoozed_cases(&self, now: i64) -> Result<u64, StoreError> {
        // Most requests find nothing due: they never wait for the writer.
        if !self.readers.with(|c| case_work::any_snooze_due(c, now))? {
            return Ok(0);
        }
        let woke = case_work::wake_snoozed(self.lock_writer()?.conn(), now)?;
        if woke > 0 {
            self.case_counts.changed();
        }
        Ok(woke)
    }

    pub fn case_facts(&self, since: i64) -> Result<Vec<CaseFactRow>, StoreError> {
        self.readers.with(|c| case_queue::facts(c, since))
    }

    pub fn outbox(&self, after: i64, limit: usize) -> Result<Vec<OutboxRecord>, StoreError> {
        self.readers.with(|c| case_work::outbox(c, after, limit))
    }
}

/// Inbox settings.
impl Store {
    pub fn intake_rules(&self) -> Result<Vec<IntakeRule>, StoreError> {
        self.readers.with(inbox_settings::intake_rules)
    }

    pub fn routing_rules(&self) -> Result<Vec<RoutingRule>, StoreError> {
        self.readers.with(inbox_settings::routing_rules)
    }

    pub fn save_intake_rule(
        &self,
        rule: &IntakeRule,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        inbox_settings::save_intake_rule(self.lock_writer()?.conn(), rule, audit)
    }

    pub fn save_routing_rule(
        &self,
        rule: &RoutingRule,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        inbox_settings::save_routing_rule(self.lock_writer()?.conn(), rule, audit)
    }

    pub fn remove_rule(
        &self,
        table: RuleTable,
        name: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<bool, StoreError> {
        inbox_settings::remove_rule(self.lock_writer()?.conn(), table, name, audit)
    }

    pub fn team_settings(&self, team: &str) -> Result<Option<TeamSettings>, StoreError> {
        self.readers
            .with(|c| inbox_settings::team_settings(c, team))
    }

    pub fn all_team_settings(&self) -> Result<Vec<TeamSettings>, StoreError> {
        self.readers.with(inbox_settings::all_team_settings)
    }

    pub fn save_team_settings(
        &self,
        settings: &TeamSettings,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        inbox_settings::save_team_settings(self.lock_writer()?.conn(), settings, audit)
    }

    pub fn saved_replies(&self) -> Result<Vec<SavedReply>, StoreError> {
        self.readers.with(inbox_settings::saved_replies)
    }

    pub fn save_saved_reply(
        &self,
        reply: &SavedReply,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, StoreError> {
        inbox_settings::save_saved_reply(self.lock_writer()?.conn(), reply, audit)
    }
}

/// Ideas.
impl Store {
    pub fn create_idea(
        &self,
        new: &NewIdea<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, StoreError> {
        ideas::create(self.lock_writer()?.conn(), new, audit)
    }

    pub fn ideas(&self, filter: &IdeaFilter) -> Result<Vec<IdeaRow>, StoreError> {
        self.readers.with(|c| ideas::list(c, filter))
    }

    pub fn idea(&self, id: i64) -> Result<Option<IdeaRow>, StoreError> {
        self.readers.with(|c| ideas::row(c, id))
    }

    pub fn idea_detail(&self, id: i64) -> Result<Option<IdeaDetail>, StoreError> {
        self.readers.with(|c| ideas::detail(c, id))
    }

    pub fn change_idea(
        &self,
        change: &IdeaChange<'_>,
        audit: &AuditEntry<'_>,
    ) -> Result<i64, StoreError> {
        ideas::change(self.lock_writer()?.conn(), change, audit)
    }

    pub fn vote_idea(
        &self,
        idea_id: i64,
        user_id: i64,
        value: i64,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        ideas::vote(self.lock_writer()?.conn(), idea_id, user_id, value, audit)
    }

    pub fn comment_idea(
        &self,
        idea_id: i64,
        user_id: Option<i64>,
        author: &str,
        body: &str,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        ideas::comment(
            self.lock_writer()?.conn(),
            idea_id,
            user_id,
            author,
            body,
            audit,
        )
    }

    pub fn merge_ideas(
        &self,
        from: i64,
        into: i64,
        audit: &AuditEntry<'_>,
    ) -> Result<(), StoreError> {
        ideas::merge(self.lock_writer()?.conn(), from, into, audit)
    }
}
