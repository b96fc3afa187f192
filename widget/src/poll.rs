//! How politely live mode polls the public session view: a pure schedule, so that
//! it can be tested without a browser.
//!
//! Start at 2 s; while nothing changes (304 Not Modified), slow down by half each
//! time up to 15 s; after a change, go back to 2 s; after a failure, back off
//! exponentially up to 30 s. A hidden tab does not poll at all (the caller pauses
//! on `visibilitychange`); a session that ended stops the schedule.

/// What the last request brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 200 with a new body.
    Changed,
    /// 304: the ETag still matches.
    NotModified,
    /// A network error, a 404 or a 5xx.
    Failed,
}

pub const FIRST_MS: u32 = 2_000;
pub const MAX_QUIET_MS: u32 = 15_000;
pub const MAX_FAILING_MS: u32 = 30_000;

/// The state of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    delay_ms: u32,
    failures: u32,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            delay_ms: FIRST_MS,
            failures: 0,
        }
    }
}

impl Schedule {
    /// The delay before the next request, given what the last one brought.
    pub fn next(&mut self, outcome: Outcome) -> u32 {
        match outcome {
            Outcome::Changed => {
                self.failures = 0;
                self.delay_ms = FIRST_MS;
            }
            Outcome::NotModified => {
                self.failures = 0;
                self.delay_ms = (self.delay_ms + self.delay_ms / 2).min(MAX_QUIET_MS);
            }
            Outcome::Failed => {
                self.failures += 1;
                self.delay_ms = FIRST_MS
                    .saturating_mul(1 << self.failures.min(5))
                    .min(MAX_FAILING_MS);
            }
        }
        self.delay_ms
    }

    /// Consecutive failures so far (the widget shows "retrying" from the first).
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slows_down_while_quiet_and_resets_on_change() {
        let mut s = Schedule::default();
        let quiet: Vec<u32> = (0..8).map(|_| s.next(Outcome::NotModified)).collect();
        assert_eq!(
            quiet,
            [3_000, 4_500, 6_750, 10_125, 15_000, 15_000, 15_000, 15_000]
        );
        assert_eq!(s.next(Outcome::Changed), FIRST_MS);
    }

    #[test]
    fn backs_off_on_failure_and_recovers() {
        let mut s = Schedule::default();
        let failing: Vec<u32> = (0..6).map(|_| s.next(Outcome::Failed)).collect();
        assert_eq!(failing, [4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
        assert_eq!(s.failures(), 6);
        assert_eq!(s.next(Outcome::Changed), FIRST_MS);
        assert_eq!(s.failures(), 0);
    }
}
