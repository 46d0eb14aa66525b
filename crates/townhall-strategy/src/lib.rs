//! Strategies, pure: not one social media strategy but several (outreach, consultation, innovation,
//! internal collaboration, customer service), each with measured goals and a phase, moved on by a
//! readiness assessment over four practice areas; and the draft checker that scores an outbound post
//! before it goes out. No I/O: the app layer measures the data and stores the answers.

pub mod draft;
pub mod goals;
pub mod model;
pub mod readiness;
pub mod recommend;
pub mod trial;
