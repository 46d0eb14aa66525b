pub fn parse(_input: &str) -> Result<super::Query, ParseError> { Ok(super::Query::All) }
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at position {position})")]
pub struct ParseError { pub position: usize, pub message: String }
