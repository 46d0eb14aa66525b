//! Learning in a safe place: a saved reply or an outbound message runs with employees first, and goes
//! to the public only when enough employees have read it, most found it clear, and the draft checker
//! finds nothing that must be fixed first.

use crate::recommend::Reason;
use serde::Serialize;

/// What a trial asks for before the public sees the thing tried.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrialRules {
    /// Employees who gave a verdict, at least.
    pub min_reviews: usize,
    /// Share of those verdicts that are "clear", at least.
    pub min_clear_share: f64,
}

impl Default for TrialRules {
    /// Two readers besides the author is the smallest review that catches one reader's blind spot;
    /// three in four finding it clear leaves room for one dissent in four.
    fn default() -> Self {
        TrialRules {
            min_reviews: 2,
            min_clear_share: 0.75,
        }
    }
}

/// Whether the thing tried may go to the public, and why (or why not).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrialCheck {
    pub ready: bool,
    pub reviews: usize,
    pub clear: usize,
    pub reasons: Vec<Reason>,
}

impl TrialCheck {
    /// The conditions not met yet, in words.
    pub fn waiting(&self) -> Vec<&str> {
        self.reasons
            .iter()
            .filter(|r| !r.met)
            .map(|r| r.text.as_str())
            .collect()
    }
}

/// Judge a trial from its verdicts and the findings that must be fixed before it goes out (personal
/// data, images without alt text…; empty for a saved reply).
pub fn judge(rules: &TrialRules, clear: usize, unclear: usize, must_fix: &[String]) -> TrialCheck {
    let reviews = clear + unclear;
    let enough = reviews >= rules.min_reviews;
    let share = if reviews == 0 {
        0.0
    } else {
        clear as f64 / reviews as f64
    };
    let clear_enough = reviews > 0 && share + 1e-12 >= rules.min_clear_share;
    let mut reasons = vec![
        Reason {
            met: enough,
            text: format!(
                "{reviews} employee{} reviewed it ({} needed)",
                if reviews == 1 { "" } else { "s" },
                rules.min_reviews
            ),
        },
        Reason {
            met: clear_enough,
            text: if reviews == 0 {
                "nobody has said yet whether it is clear".to_string()
            } else {
                format!(
                    "{clear} of {reviews} found it clear ({:.0}%; at least {:.0}% needed)",
                    share * 100.0,
                    rules.min_clear_share * 100.0
                )
            },
        },
    ];
    reasons.push(Reason {
        met: must_fix.is_empty(),
        text: if must_fix.is_empty() {
            "the draft checker finds nothing that must be fixed first".to_string()
        } else {
            format!("fix first: {}", must_fix.join("; "))
        },
    });
    TrialCheck {
        ready: enough && clear_enough && must_fix.is_empty(),
        reviews,
        clear,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn two_clear_reviews_and_nothing_to_fix_is_ready() {
        let c = judge(&TrialRules::default(), 2, 0, &[]);
        assert!(c.ready);
        assert!(c.reasons.iter().all(|r| r.met));
        assert_eq!(
            c.reasons[1].text,
            "2 of 2 found it clear (100%; at least 75% needed)"
        );
    }

    #[test]
    fn one_review_is_not_enough_and_says_so() {
        let c = judge(&TrialRules::default(), 1, 0, &[]);
        assert!(!c.ready);
        assert!(!c.reasons[0].met);
        assert_eq!(c.reasons[0].text, "1 employee reviewed it (2 needed)");
        assert_eq!(c.waiting(), vec!["1 employee reviewed it (2 needed)"]);
    }

    #[test]
    fn a_split_verdict_waits() {
        let c = judge(&TrialRules::default(), 2, 2, &[]);
        assert!(!c.ready);
        assert!(!c.reasons[1].met);
        // Three in four is exactly enough.
        assert!(judge(&TrialRules::default(), 3, 1, &[]).ready);
    }

    #[test]
    fn findings_to_fix_block_even_a_clear_message() {
        let c = judge(
            &TrialRules::default(),
            5,
            0,
            &["personal data: phone".into()],
        );
        assert!(!c.ready);
        assert_eq!(c.reasons[2].text, "fix first: personal data: phone");
    }

    #[test]
    fn no_reviews_is_never_ready_even_with_no_minimum() {
        let rules = TrialRules {
            min_reviews: 0,
            min_clear_share: 0.0,
        };
        assert!(!judge(&rules, 0, 0, &[]).ready);
    }

    proptest! {
        /// Ready exactly when every reason is met, and more clear verdicts never make it less ready.
        #[test]
        fn ready_is_all_reasons_and_monotone_in_clear(clear in 0usize..20, unclear in 0usize..20, fix in any::<bool>()) {
            let must_fix: Vec<String> = if fix { vec!["x".into()] } else { vec![] };
            let rules = TrialRules::default();
            let c = judge(&rules, clear, unclear, &must_fix);
            prop_assert_eq!(c.ready, c.reasons.iter().all(|r| r.met));
            prop_assert_eq!(c.reviews, clear + unclear);
            if c.ready {
                prop_assert!(judge(&rules, clear + 1, unclear, &must_fix).ready);
            }
        }
    }
}
