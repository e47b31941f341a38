//! Per-token request rate limits: a token bucket per token id.
//!
//! Each token may make `burst` requests at once and `per_second` on
//! average: its bucket holds up to `burst` requests and refills at
//! `per_second`. A request finding it empty is a 429 with `Retry-After`,
//! the whole seconds until the bucket holds one again. Only requests that
//! authenticated are counted (the limit is per token; an unknown token is a
//! 401 before it gets here), so the buckets are at most one per token.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Buckets kept before the full ones (tokens idle long enough to have
/// refilled, which lose nothing by being forgotten) are dropped.
const PRUNE_ABOVE: usize = 4096;

/// A rate limit: `per_second` requests on average, `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub per_second: f64,
    pub burst: u32,
}

impl RateLimit {
    /// The limit of the config's `rate_limit_per_second` and
    /// `rate_limit_burst`: `None` when unset or 0 (no limit), an error for
    /// a rate that is negative or not a number. The burst defaults to one
    /// second's worth, and is at least 1.
    pub fn from_config(
        per_second: Option<f64>,
        burst: Option<u32>,
    ) -> Result<Option<Self>, String> {
        let Some(per_second) = per_second else {
            return Ok(None);
        };
        if !per_second.is_finite() || per_second < 0.0 {
            return Err(format!(
                "rate_limit_per_second must be a number of requests a second, 0 or more (0 is no limit); it is {per_second}"
            ));
        }
        if per_second == 0.0 {
            return Ok(None);
        }
        // A float to a whole number of requests: saturating is what is
        // meant for a huge rate.
        let second = per_second.ceil().min(f64::from(u32::MAX)) as u32;
        let burst = burst.unwrap_or(second).max(1);
        Ok(Some(RateLimit { per_second, burst }))
    }
}

/// The buckets of every token seen.
#[derive(Debug)]
pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// Requests it holds, fractions included.
    level: f64,
    at: Instant,
}

/// A request refused: how long until the token may try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after: Duration,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The limit enforced.
    pub fn limit(&self) -> RateLimit {
        self.limit
    }

    /// Takes one request from `token_id`'s bucket.
    pub fn check(&self, token_id: &str) -> Result<(), Limited> {
        self.check_at(token_id, Instant::now())
    }

    /// [`RateLimiter::check`] at time `now` (tests step the clock).
    pub fn check_at(&self, token_id: &str, now: Instant) -> Result<(), Limited> {
        let RateLimit { per_second, burst } = self.limit;
        let full = f64::from(burst);
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            buckets.retain(|_, bucket| level_at(bucket, now, per_second, full) < full);
        }
        let bucket = buckets.entry(token_id.to_owned()).or_insert(Bucket {
            level: full,
            at: now,
        });
        let level = level_at(bucket, now, per_second, full);
        if level >= 1.0 {
            *bucket = Bucket {
                level: level - 1.0,
                at: now,
            };
            return Ok(());
        }
        *bucket = Bucket { level, at: now };
        let wait = (1.0 - level) / per_second;
        // Whole seconds, rounded up, at least one: what `Retry-After` says.
        let secs = wait.ceil().clamp(1.0, u32::MAX.into()) as u64;
        Err(Limited {
            retry_after: Duration::from_secs(secs),
        })
    }
}

fn level_at(bucket: &Bucket, now: Instant, per_second: f64, full: f64) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
    (bucket.level + elapsed * per_second).min(full)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_second: f64, burst: u32) -> RateLimiter {
        RateLimiter::new(RateLimit { per_second, burst })
    }

    #[test]
    fn a_burst_passes_then_the_rate_applies() {
        let limiter = limiter(2.0, 3);
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check_at("t", start), Ok(()));
        }
        let refused = limiter
            .check_at("t", start)
            .expect_err("the bucket is empty");
        assert_eq!(refused.retry_after, Duration::from_secs(1));
        // Half a second at 2 a second refills one request.
        let later = start + Duration::from_millis(500);
        assert_eq!(limiter.check_at("t", later), Ok(()));
        assert!(limiter.check_at("t", later).is_err());
    }

    #[test]
    fn tokens_have_buckets_of_their_own() {
        let limiter = limiter(1.0, 1);
        let now = Instant::now();
        assert_eq!(limiter.check_at("a", now), Ok(()));
        assert!(limiter.check_at("a", now).is_err());
        assert_eq!(limiter.check_at("b", now), Ok(()));
    }

    #[test]
    fn retry_after_is_the_whole_seconds_until_one_request_is_back() {
        let limiter = limiter(0.1, 1);
        let now = Instant::now();
        assert_eq!(limiter.check_at("t", now), Ok(()));
        let refused = limiter.check_at("t", now + Duration::from_secs(3));
        assert_eq!(
            refused,
            Err(Limited {
                retry_after: Duration::from_secs(7)
            })
        );
    }

    #[test]
    fn a_bucket_never_holds_more_than_the_burst() {
        let limiter = limiter(10.0, 2);
        let now = Instant::now();
        assert_eq!(limiter.check_at("t", now), Ok(()));
        let much_later = now + Duration::from_secs(3600);
        assert_eq!(limiter.check_at("t", much_later), Ok(()));
        assert_eq!(limiter.check_at("t", much_later), Ok(()));
        assert!(limiter.check_at("t", much_later).is_err());
    }

    #[test]
    fn the_config_says_whether_and_how_to_limit() {
        assert_eq!(RateLimit::from_config(None, Some(5)), Ok(None));
        assert_eq!(RateLimit::from_config(Some(0.0), None), Ok(None));
        assert_eq!(
            RateLimit::from_config(Some(2.5), None),
            Ok(Some(RateLimit {
                per_second: 2.5,
                burst: 3
            }))
        );
        assert_eq!(
            RateLimit::from_config(Some(0.01), Some(0)),
            Ok(Some(RateLimit {
                per_second: 0.01,
                burst: 1
            }))
        );
        let error = RateLimit::from_config(Some(-1.0), None).expect_err("negative");
        assert!(error.contains("rate_limit_per_second"), "{error}");
        assert!(RateLimit::from_config(Some(f64::NAN), None).is_err());
    }
}
