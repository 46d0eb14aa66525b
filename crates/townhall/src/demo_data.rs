//! The real sample the demo loads, compiled into the binary (see `demo/README.md` for sources).

pub struct SampleFile {
    pub name: &'static str,
    pub bytes: &'static [u8],
}

pub const CONGRESS_ACCOUNTS: SampleFile = SampleFile {
    name: "congresstweets-accounts.json",
    bytes: include_bytes!("../../../demo/govposts/congresstweets-accounts.json"),
};

pub const CONGRESS_TWEETS: SampleFile = SampleFile {
    name: "congresstweets-2017-06-21.json",
    bytes: include_bytes!("../../../demo/govposts/congresstweets-2017-06-21.json"),
};

pub const PUBLIC_REPLIES: [SampleFile; 3] = [
    SampleFile {
        name: "1101514208636792832.json",
        bytes: include_bytes!("../../../demo/publicreplies/1101514208636792832.json"),
    },
    SampleFile {
        name: "1101515196986769409.json",
        bytes: include_bytes!("../../../demo/publicreplies/1101515196986769409.json"),
    },
    SampleFile {
        name: "1101531205474742272.json",
        bytes: include_bytes!("../../../demo/publicreplies/1101531205474742272.json"),
    },
];

pub const MASTODON: SampleFile = SampleFile {
    name: "mastodon-status-example.json",
    bytes: include_bytes!("../../../demo/mastodon-status-example.json"),
};

/// The account whose posts the demo treats as the agency's own in the public-replies threads.
pub const OWN_ACCOUNT: &str = "AOC";

/// A finished Pol.is conversation (CC BY 4.0, The Computational Democracy Project), imported as a closed
/// consultation.
pub const POLIS_CONVERSATION: [SampleFile; 3] = [
    SampleFile {
        name: "comments.csv",
        bytes: include_bytes!("../../../demo/polis/canadian-electoral-reform/comments.csv"),
    },
    SampleFile {
        name: "votes.csv",
        bytes: include_bytes!("../../../demo/polis/canadian-electoral-reform/votes.csv"),
    },
    SampleFile {
        name: "summary.csv",
        bytes: include_bytes!("../../../demo/polis/canadian-electoral-reform/summary.csv"),
    },
];

/// The open consultation the demo starts with, so a new user can take part at once.
pub const PILOT_QUESTION: &str = "How should our agency answer the public's questions online?";
pub const PILOT_SEEDS: [&str; 8] = [
    "Every question sent to our accounts should get an answer within one business day",
    "Answers should link to the official page rather than repeat it",
    "We should answer in the language the question was asked in",
    "Staff should sign their replies with their first name",
    "Questions about personal cases should move to a private channel at once",
    "We should publish a weekly round-up of the most asked questions",
    "Our accounts should stay quiet outside office hours",
    "Negative comments deserve a reply as much as questions do",
];
