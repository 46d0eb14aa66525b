//! Token buckets per key (a participant, a network address): a steady rate with room for a burst.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// A steady rate (per second) and the burst allowed on top of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub per_second: f64,
    pub burst: f64,
}

impl Limit {
    pub const fn new(per_second: f64, burst: f64) -> Limit {
        Limit { per_second, burst }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Keys seen recently; full buckets are forgotten when the table grows past this.
const PRUNE_ABOVE: usize = 100_000;

pub struct RateLimiter {
    limit: Limit,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl RateLimiter {
    pub fn new(limit: Limit) -> RateLimiter {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Take one token for `key`; `Err(seconds)` says how long until one is free.
    pub fn take(&self, key: &str, now: Instant) -> Result<(), f64> {
        let Limit { per_second, burst } = self.limit;
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, b| {
                b.tokens + now.saturating_duration_since(b.at).as_secs_f64() * per_second < burst
            });
        }
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let refill = now.saturating_duration_since(bucket.at).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else if per_second > 0.0 {
            Err((1.0 - bucket.tokens) / per_second)
        } else {
            Err(f64::INFINITY)
        }
    }
}

impl RateLimiter {
    /// [`take`](Self::take), refused as the error every caller gives: `what` happened too often, and
    /// when to try again (at least 1 s, at most an hour).
    pub fn take_or_refuse(
        &self,
        key: &str,
        now: Instant,
        what: &str,
    ) -> Result<(), crate::AppError> {
        self.take(key, now).map_err(|wait| {
            let retry_after_secs = wait.ceil().clamp(1.0, 3_600.0) as u64;
            crate::AppError::RateLimited {
                message: format!("{what}; try again in {retry_after_secs} s"),
                retry_after_secs,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_then_the_steady_rate() {
        let limiter = RateLimiter::new(Limit::new(2.0, 5.0));
        let t0 = Instant::now();
        for _ in 0..5 {
            assert!(limiter.take("a", t0).is_ok());
        }
        let wait = limiter.take("a", t0).unwrap_err();
        assert!((wait - 0.5).abs() < 1e-9, "{wait}");
        // Another key has its own bucket.
        assert!(limiter.take("b", t0).is_ok());
        // Half a second later one token is back, and only one.
        let t1 = t0 + Duration::from_millis(500);
        assert!(limiter.take("a", t1).is_ok());
        assert!(limiter.take("a", t1).is_err());
    }
}
