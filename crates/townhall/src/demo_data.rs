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
