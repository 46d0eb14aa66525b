//! The readiness assessment: a questionnaire over four practice areas, each answer with its evidence,
//! scored per area and repeated over time. Where the data already answers a question (measured response
//! times, where the public is, employees taking part in pilots), the app fills in a suggested answer
//! with the figures as evidence.

use serde::{Deserialize, Serialize};

/// The four practice areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PracticeArea {
    /// How leaders and management must change.
    LeadershipManagement,
    /// How the public behaves online and where to reach them.
    Customer,
    /// Internal systems meeting external ones; employees already using tools outside IT's control.
    Enterprise,
    /// Learning safely; which vendors to rely on.
    InnovationDesign,
}

impl PracticeArea {
    pub const ALL: [PracticeArea; 4] = [
        PracticeArea::LeadershipManagement,
        PracticeArea::Customer,
        PracticeArea::Enterprise,
        PracticeArea::InnovationDesign,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PracticeArea::LeadershipManagement => "leadership_management",
            PracticeArea::Customer => "customer",
            PracticeArea::Enterprise => "enterprise",
            PracticeArea::InnovationDesign => "innovation_design",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PracticeArea::LeadershipManagement => "Leadership & Management",
            PracticeArea::Customer => "Customer",
            PracticeArea::Enterprise => "Enterprise",
            PracticeArea::InnovationDesign => "Innovation & Design",
        }
    }
}

/// Where the data can answer a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataSource {
    /// Share of public questions answered within one business day.
    ResponseTimes,
    /// Channels where the public talks to or about the agency.
    PublicPresence,
    /// Consultations and ideas piloted with employees first.
    EmployeePilots,
    /// Staff accounts that work in the inbox (answering, not only reading).
    StaffTakingPart,
}

/// One question of the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: &'static str,
    pub area: PracticeArea,
    pub text: &'static str,
    /// What a good answer looks like, and what evidence to give.
    pub help: &'static str,
    pub data: Option<DataSource>,
}

/// The answer levels, 0 to 3.
pub const LEVELS: [&str; 4] = ["Not started", "Beginning", "Developing", "Established"];

/// The questionnaire.
pub const QUESTIONS: &[Question] = &[
    Question {
        id: "lm-sponsor",
        area: PracticeArea::LeadershipManagement,
        text: "A senior leader sponsors each strategy and reviews its goals on a schedule.",
        help: "Name the sponsor and the last review date.",
        data: None,
    },
    Question {
        id: "lm-delegation",
        area: PracticeArea::LeadershipManagement,
        text: "Staff may answer the public online without clearing each reply with management.",
        help: "Point to the delegation or the social media policy that allows it.",
        data: None,
    },
    Question {
        id: "lm-response",
        area: PracticeArea::LeadershipManagement,
        text: "Public questions are answered within one business day.",
        help: "Filled in from the inbox's measured response times.",
        data: Some(DataSource::ResponseTimes),
    },
    Question {
        id: "cu-where",
        area: PracticeArea::Customer,
        text: "We know where the public talks to and about us online, channel by channel.",
        help: "Filled in from the channels with public conversation in the store.",
        data: Some(DataSource::PublicPresence),
    },
    Question {
        id: "cu-listen",
        area: PracticeArea::Customer,
        text: "We track what the public cares about (topics, sentiment) and act on it.",
        help: "Name the tracked topics and one decision they informed.",
        data: None,
    },
    Question {
        id: "cu-language",
        area: PracticeArea::Customer,
        text: "We write in the public's words and languages, not our jargon.",
        help: "The vocabulary gap and language pages show where we stand.",
        data: None,
    },
    Question {
        id: "en-tools",
        area: PracticeArea::Enterprise,
        text: "Tools staff already use outside IT's control are known and either supported or replaced.",
        help: "List them and what was decided.",
        data: None,
    },
    Question {
        id: "en-records",
        area: PracticeArea::Enterprise,
        text: "Public exchanges are kept as records and reach the systems that handle cases.",
        help: "Describe the export (outbox, audit log) and who receives it.",
        data: None,
    },
    Question {
        id: "en-staff",
        area: PracticeArea::Enterprise,
        text: "Staff across teams take part, not only the communications office.",
        help: "Filled in from the staff accounts working in the inbox.",
        data: Some(DataSource::StaffTakingPart),
    },
    Question {
        id: "id-pilots",
        area: PracticeArea::InnovationDesign,
        text: "New approaches are tried with employees first, in a safe place.",
        help: "Filled in from consultations and ideas piloted with staff.",
        data: Some(DataSource::EmployeePilots),
    },
    Question {
        id: "id-drafts",
        area: PracticeArea::InnovationDesign,
        text: "Outbound posts are checked for plain language and accessibility before they go out.",
        help: "The draft checker's record, or the review step used.",
        data: None,
    },
    Question {
        id: "id-vendors",
        area: PracticeArea::InnovationDesign,
        text: "We know which vendors and platforms we rely on, and how we would leave each.",
        help: "List them with their exit path (exports, open formats).",
        data: None,
    },
];

/// One answer: a level 0–3 and the evidence behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub question: String,
    pub level: u8,
    pub evidence: String,
}

/// An area's score: the mean level as a percentage of "Established".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AreaScore {
    pub area: PracticeArea,
    /// 0–100; `None` when no question of the area is answered.
    pub score: Option<f64>,
    pub answered: usize,
    pub questions: usize,
}

/// Errors in a set of answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("question {0:?} is not in the assessment")]
    UnknownQuestion(String),
    #[error("question {question}: level {level} is out of range (0 to 3)")]
    Level { question: String, level: u8 },
    #[error("question {0}: answered twice")]
    Twice(String),
}

/// Check a set of answers: known questions, levels 0–3, one answer each.
pub fn check(answers: &[Answer]) -> Result<(), AnswerError> {
    let mut seen = std::collections::BTreeSet::new();
    for a in answers {
        if !QUESTIONS.iter().any(|q| q.id == a.question) {
            return Err(AnswerError::UnknownQuestion(a.question.clone()));
        }
        if a.level > 3 {
            return Err(AnswerError::Level {
                question: a.question.clone(),
                level: a.level,
            });
        }
        if !seen.insert(a.question.as_str()) {
            return Err(AnswerError::Twice(a.question.clone()));
        }
    }
    Ok(())
}

/// Score each area from the answers given.
pub fn score(answers: &[Answer]) -> Vec<AreaScore> {
    PracticeArea::ALL
        .into_iter()
        .map(|area| {
            let ids: Vec<&str> = QUESTIONS
                .iter()
                .filter(|q| q.area == area)
                .map(|q| q.id)
                .collect();
            let levels: Vec<f64> = answers
                .iter()
                .filter(|a| ids.contains(&a.question.as_str()))
                .map(|a| f64::from(a.level.min(3)))
                .collect();
            AreaScore {
                area,
                score: (!levels.is_empty())
                    .then(|| levels.iter().sum::<f64>() / levels.len() as f64 / 3.0 * 100.0),
                answered: levels.len(),
                questions: ids.len(),
            }
        })
        .collect()
}

/// What the data says, for the questions it can answer.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct DataFacts {
    /// Share of public questions first answered within one business day (None: no questions yet).
    pub answered_within_a_day: Option<f64>,
    /// Channels with the public's posts.
    pub public_channels: usize,
    /// Consultations that ran an employees phase, and ideas from employees.
    pub employee_pilots: usize,
    /// Staff accounts that acted on inbox cases, and all staff accounts.
    pub staff_working: usize,
    pub staff_total: usize,
}

/// A suggested answer from the data: the level and the figures as evidence.
pub fn suggest(source: DataSource, facts: &DataFacts) -> Option<(u8, String)> {
    match source {
        DataSource::ResponseTimes => {
            let share = facts.answered_within_a_day?;
            let level = match share {
                s if s >= 0.8 => 3,
                s if s >= 0.5 => 2,
                s if s > 0.0 => 1,
                _ => 0,
            };
            Some((
                level,
                format!(
                    "Measured: {:.0}% of public questions answered within one business day.",
                    share * 100.0
                ),
            ))
        }
        DataSource::PublicPresence => {
            let n = facts.public_channels;
            let level = match n {
                0 => 0,
                1 => 1,
                2..=3 => 2,
                _ => 3,
            };
            Some((
                level,
                format!("Measured: public conversation on {n} channel(s)."),
            ))
        }
        DataSource::EmployeePilots => {
            let n = facts.employee_pilots;
            let level = match n {
                0 => 0,
                1 => 1,
                2..=4 => 2,
                _ => 3,
            };
            Some((
                level,
                format!("Measured: {n} consultation(s) or idea(s) piloted with employees."),
            ))
        }
        DataSource::StaffTakingPart => {
            if facts.staff_total == 0 {
                return None;
            }
            let share = facts.staff_working as f64 / facts.staff_total as f64;
            let level = match share {
                s if s >= 0.5 => 3,
                s if s >= 0.25 => 2,
                s if s > 0.0 => 1,
                _ => 0,
            };
            Some((
                level,
                format!(
                    "Measured: {} of {} staff accounts work on inbox cases.",
                    facts.staff_working, facts.staff_total
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(q: &str, level: u8) -> Answer {
        Answer {
            question: q.into(),
            level,
            evidence: String::new(),
        }
    }

    #[test]
    fn every_area_has_questions_and_scores_are_means() {
        for area in PracticeArea::ALL {
            assert!(QUESTIONS.iter().filter(|q| q.area == area).count() >= 3);
        }
        let answers = vec![
            answer("lm-sponsor", 3),
            answer("lm-delegation", 0),
            answer("cu-where", 2),
        ];
        assert!(check(&answers).is_ok());
        let scores = score(&answers);
        assert_eq!(scores[0].score, Some(50.0));
        assert_eq!(scores[0].answered, 2);
        assert!((scores[1].score.unwrap_or_default() - 200.0 / 3.0).abs() < 1e-9);
        assert_eq!(scores[2].score, None);
        assert!(check(&[answer("nope", 1)]).is_err());
        assert!(check(&[answer("lm-sponsor", 4)]).is_err());
        assert!(check(&[answer("lm-sponsor", 1), answer("lm-sponsor", 2)]).is_err());
    }

    #[test]
    fn the_data_fills_in_what_it_knows() {
        let facts = DataFacts {
            answered_within_a_day: Some(0.62),
            public_channels: 4,
            employee_pilots: 1,
            staff_working: 1,
            staff_total: 10,
        };
        let (level, evidence) = suggest(DataSource::ResponseTimes, &facts).unwrap_or_default();
        assert_eq!(level, 2);
        assert!(evidence.contains("62%"));
        assert_eq!(
            suggest(DataSource::PublicPresence, &facts).map(|s| s.0),
            Some(3)
        );
        assert_eq!(
            suggest(DataSource::EmployeePilots, &facts).map(|s| s.0),
            Some(1)
        );
        assert_eq!(
            suggest(DataSource::StaffTakingPart, &facts).map(|s| s.0),
            Some(1)
        );
        assert_eq!(
            suggest(DataSource::ResponseTimes, &DataFacts::default()),
            None
        );
        for q in QUESTIONS.iter().filter(|q| q.data.is_some()) {
            assert!(q.help.starts_with("Filled in"), "{}", q.id);
        }
    }
}
