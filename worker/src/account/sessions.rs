//! The account's sessions table: each session's summary as last recorded, kept
//! in the same atomic step as the session's events, and what the dashboard
//! reads from it (filtered listings, the overview's figures). KV has the
//! sessions themselves but no queries; this is the index that answers "paid
//! this month, in EUR" or "pending ewallet orders created yesterday".
//!
//! Paid totals are kept per UTC day and currency in `daily`, bumped once when a
//! session first becomes paid, so that the overview never sums a month of rows.
//! Amounts are exact decimal text.
//!
//! Sessions created before this table existed (an upgraded deployment) are
//! imported from KV by the worker, a page at a time (`dashboard/backfill.rs`):
//! [`Db::import_sessions`] adds those the table lacks and keeps where to go on.

use checkout_api::dashboard::{Day, Overview, SessionSummary, Total};
use checkout_core::session::{Dialect, State};
use checkout_core::time::{start_of_day, start_of_month, DAY};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::db::{fail, from_json, int, opt_int, opt_text, text, to_json, Db, Result};

/// Which sessions a listing asks for; days are unix seconds of 00:00 UTC.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SessionQuery {
    /// The state as of `now` (a pending session past its expiry is expired).
    pub state: Option<State>,
    pub dialect: Option<Dialect>,
    /// Created at or after.
    pub from: Option<i64>,
    /// Created before.
    pub until: Option<i64>,
    /// An exact session id, order id, payment id or alias.
    pub search: Option<String>,
    /// The `next_cursor` of the previous page.
    pub before: Option<i64>,
    pub limit: u32,
    pub now: i64,
}

/// A page of summaries, newest first.
#[derive(Debug, Serialize, Deserialize)]
pub struct SummaryPage {
    pub data: Vec<SessionSummary>,
    pub next_cursor: Option<i64>,
}

#[derive(Deserialize)]
struct SummaryRow {
    row_id: i64,
    body: String,
    failing: i64,
}

/// Where the import of sessions older than the table stands.
#[derive(Debug, Serialize, Deserialize)]
pub enum Backfill {
    /// Every older session is in the table.
    Done,
    /// To go on from this KV list cursor (`None`: from the start).
    From(Option<String>),
}

#[derive(Deserialize)]
struct BackfillRow {
    cursor: Option<String>,
    done: i64,
}

#[derive(Deserialize)]
struct StateRow {
    state: String,
}

#[derive(Deserialize)]
struct DailyRow {
    day: i64,
    currency: String,
    paid: i64,
    total: String,
}

/// The clause that selects sessions in `state` as of the bound `now` (SQL text
/// of ours only: the state is an enum, never the client's text).
fn state_clause(state: Option<State>) -> &'static str {
    match state {
        None => "1",
        Some(State::Pending) => "(state = 'pending' AND expires_at > ?)",
        Some(State::Expired) => "(state = 'expired' OR (state = 'pending' AND expires_at <= ?))",
        Some(State::Paid) => "state = 'paid'",
        Some(State::Cancelled) => "state = 'cancelled'",
    }
}

/// A summary as of `now`: the state a reader sees, and whether its paid
/// notification is failing.
fn as_of(mut s: SessionSummary, now: i64, failing: bool) -> SessionSummary {
    if s.state == State::Pending && now >= s.expires_at {
        s.state = State::Expired;
    }
    s.status = s.dialect.status(s.state).to_owned();
    s.notification_failing = failing && s.state == State::Paid;
    s
}

/// Whether a session in `stored` may be overwritten by one in `incoming`: never
/// back to pending, and paid is for good (a stale write does not undo it).
fn supersedes(stored: State, incoming: State) -> bool {
    match (stored, incoming) {
        (State::Paid, _) => false,
        (_, State::Paid) => true,
        (State::Pending, _) => true,
        (_, State::Pending) => false,
        _ => true,
    }
}

const FAILING: &str = "EXISTS (SELECT 1 FROM deliveries d WHERE d.session_id = s.id
                       AND d.flagged = 1 AND d.status != 'delivered')";

impl Db {
    /// Records a session's summary as a transition left it; bumps the day's paid
    /// totals the first time it is paid.
    pub fn upsert_session(&self, s: &SessionSummary, now: i64) -> Result<()> {
        let stored: Option<State> = self
            .rows::<StateRow>(
                "SELECT state FROM sessions WHERE id = ?",
                vec![text(s.id.as_str())],
            )?
            .first()
            .map(|r| State::from_wire(&r.state).ok_or_else(|| fail("stored session state")))
            .transpose()?;
        if stored.is_some_and(|stored| !supersedes(stored, s.state)) {
            return Ok(());
        }
        self.exec(
            "INSERT INTO sessions (id, dialect, state, created_at, expires_at, paid_at,
                                   order_id, payment_id, alias, body)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, paid_at = excluded.paid_at,
                                            body = excluded.body",
            vec![
                text(s.id.as_str()),
                text(s.dialect.as_str()),
                text(s.state.as_str()),
                int(s.created_at),
                int(s.expires_at),
                opt_int(s.paid_at),
                opt_text(s.order_id.clone()),
                text(s.payment_id.clone()),
                opt_text(s.alias.clone()),
                text(to_json(s)?),
            ],
        )?;
        if s.state == State::Paid && stored != Some(State::Paid) {
            self.add_paid(s, s.paid_at.unwrap_or(now))?;
        }
        Ok(())
    }

    /// How far the import of older sessions has got.
    pub fn backfill(&self) -> Result<Backfill> {
        let row: Option<BackfillRow> = self
            .rows("SELECT cursor, done FROM backfill", vec![])?
            .into_iter()
            .next();
        Ok(match row {
            None => Backfill::From(None),
            Some(r) if r.done != 0 => Backfill::Done,
            Some(r) => Backfill::From(r.cursor),
        })
    }

    /// Adds the sessions the table does not have (a row it has is as new as
    /// the session or newer: every change since the table existed wrote it),
    /// counting those paid in their day's totals, then keeps `next` as where
    /// the import goes on (`None`: finished).
    pub fn import_sessions(
        &self,
        summaries: &[SessionSummary],
        next: Option<&str>,
        now: i64,
    ) -> Result<u32> {
        let mut added = 0;
        for s in summaries {
            let known = self.count(
                "SELECT COUNT(*) AS n FROM sessions WHERE id = ?",
                vec![text(s.id.as_str())],
            )?;
            if known == 0 {
                self.upsert_session(s, now)?;
                added += 1;
            }
        }
        self.exec(
            "INSERT INTO backfill (id, cursor, done) VALUES (1, ?, ?)
             ON CONFLICT (id) DO UPDATE SET cursor = excluded.cursor, done = excluded.done",
            vec![
                opt_text(next.map(str::to_owned)),
                int(i64::from(next.is_none())),
            ],
        )?;
        Ok(added)
    }

    /// Dev only: forgets the sessions table, its totals and the import, as an
    /// account object made before the table existed. Answers how many sessions
    /// it forgot.
    pub fn forget_sessions(&self) -> Result<i64> {
        let n = self.count("SELECT COUNT(*) AS n FROM sessions", vec![])?;
        for table in ["sessions", "daily", "backfill"] {
            self.exec(&format!("DELETE FROM {table}"), vec![])?;
        }
        Ok(n)
    }

    fn add_paid(&self, s: &SessionSummary, paid_at: i64) -> Result<()> {
        let day = start_of_day(paid_at);
        let amount: Decimal = s
            .amount
            .parse()
            .map_err(|_| fail(format!("session amount {:?} is not a decimal", s.amount)))?;
        let current: Option<DailyRow> = self
            .rows(
                "SELECT day, currency, paid, total FROM daily WHERE day = ? AND currency = ?",
                vec![int(day), text(s.currency.clone())],
            )?
            .into_iter()
            .next();
        let (paid, total) = match current {
            Some(row) => (row.paid, parse_decimal(&row.total)?),
            None => (0, Decimal::ZERO),
        };
        // A derived figure: an absurd sum must not stop a payment being recorded.
        let total = total.checked_add(amount).unwrap_or_else(|| {
            worker::console_error!("daily total overflow for {}", s.currency);
            total
        });
        self.exec(
            "INSERT INTO daily (day, currency, paid, total) VALUES (?, ?, ?, ?)
             ON CONFLICT (day, currency) DO UPDATE SET paid = excluded.paid, total = excluded.total",
            vec![
                int(day),
                text(s.currency.clone()),
                int(paid.saturating_add(1)),
                text(total.to_string()),
            ],
        )
    }

    /// One page of summaries, newest first.
    pub fn sessions(&self, q: &SessionQuery) -> Result<SummaryPage> {
        let mut bindings = vec![
            opt_text(q.dialect.map(|d| d.as_str())),
            opt_text(q.dialect.map(|d| d.as_str())),
            opt_int(q.from),
            opt_int(q.from),
            opt_int(q.until),
            opt_int(q.until),
            opt_text(q.search.clone()),
            opt_text(q.search.clone()),
            opt_text(q.search.clone()),
            opt_text(q.search.clone()),
            opt_text(q.search.clone()),
            opt_int(q.before),
            opt_int(q.before),
        ];
        if matches!(q.state, Some(State::Pending | State::Expired)) {
            bindings.push(int(q.now));
        }
        bindings.push(int(i64::from(q.limit) + 1));
        let rows: Vec<SummaryRow> = self.rows(
            &format!(
                "SELECT rowid AS row_id, body, {FAILING} AS failing FROM sessions s
                 WHERE (? IS NULL OR dialect = ?)
                   AND (? IS NULL OR created_at >= ?) AND (? IS NULL OR created_at < ?)
                   AND (? IS NULL OR id = ? OR order_id = ? OR payment_id = ? OR alias = ?)
                   AND (? IS NULL OR (created_at, rowid) <
                        (SELECT created_at, rowid FROM sessions WHERE rowid = ?))
                   AND {}
                 ORDER BY created_at DESC, rowid DESC LIMIT ?",
                state_clause(q.state)
            ),
            bindings,
        )?;
        let more = rows.len() > q.limit as usize;
        let rows = &rows[..rows.len().min(q.limit as usize)];
        let data = rows
            .iter()
            .map(|r| Ok(as_of(from_json(&r.body)?, q.now, r.failing != 0)))
            .collect::<Result<Vec<_>>>()?;
        Ok(SummaryPage {
            data,
            next_cursor: if more {
                rows.last().map(|r| r.row_id)
            } else {
                None
            },
        })
    }

    /// The overview's figures as of `now`.
    pub fn overview(&self, now: i64) -> Result<Overview> {
        let today = start_of_day(now);
        let first_chart_day = today - 29 * DAY;
        let month = start_of_month(now);
        let rows: Vec<DailyRow> = self.rows(
            "SELECT day, currency, paid, total FROM daily WHERE day >= ? ORDER BY currency",
            vec![int(first_chart_day.min(month))],
        )?;
        let mut today_totals: Vec<Total> = Vec::new();
        let mut month_totals: Vec<Total> = Vec::new();
        let mut daily: Vec<Day> = (0..30)
            .map(|i| Day {
                day: first_chart_day + i * DAY,
                paid: 0,
            })
            .collect();
        for row in &rows {
            let paid = u64::try_from(row.paid).unwrap_or(0);
            let total = parse_decimal(&row.total)?;
            if row.day == today {
                add_to(&mut today_totals, &row.currency, total, paid);
            }
            if row.day >= month {
                add_to(&mut month_totals, &row.currency, total, paid);
            }
            if let Some(d) = daily.iter_mut().find(|d| d.day == row.day) {
                d.paid = d.paid.saturating_add(paid);
            }
        }
        let awaiting = self.count(
            "SELECT COUNT(*) AS n FROM sessions WHERE state = 'pending' AND expires_at > ?",
            vec![int(now)],
        )?;
        let failing = self.count(
            "SELECT COUNT(DISTINCT session_id) AS n FROM deliveries
             WHERE flagged = 1 AND status != 'delivered' AND session_id IS NOT NULL",
            vec![],
        )?;
        Ok(Overview {
            today: today_totals,
            month: month_totals,
            daily,
            awaiting: u64::try_from(awaiting).unwrap_or(0),
            failing: u64::try_from(failing).unwrap_or(0),
        })
    }
}

fn parse_decimal(text: &str) -> Result<Decimal> {
    text.parse()
        .map_err(|_| fail(format!("stored total {text:?} is not a decimal")))
}

/// Adds a day's figures to the totals of its currency (rows come sorted by
/// currency).
fn add_to(totals: &mut Vec<Total>, currency: &str, amount: Decimal, count: u64) {
    match totals.iter_mut().find(|t| t.currency == currency) {
        Some(t) => {
            let sum = t
                .amount
                .parse::<Decimal>()
                .ok()
                .and_then(|a| a.checked_add(amount));
            if let Some(sum) = sum {
                t.amount = sum.to_string();
            }
            t.count = t.count.saturating_add(count);
        }
        None => totals.push(Total {
            currency: currency.to_owned(),
            amount: amount.to_string(),
            count,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_never_goes_back_to_pending_and_paid_is_for_good() {
        use State::*;
        assert!(supersedes(Pending, Paid));
        assert!(supersedes(Pending, Expired));
        assert!(supersedes(Expired, Paid));
        assert!(!supersedes(Expired, Pending));
        assert!(!supersedes(Cancelled, Pending));
        assert!(!supersedes(Paid, Expired));
        assert!(!supersedes(Paid, Pending));
        assert!(!supersedes(Paid, Paid));
    }

    #[test]
    fn totals_add_exactly_per_currency() {
        let mut totals = Vec::new();
        add_to(&mut totals, "EUR", "0.10".parse().unwrap(), 1);
        add_to(&mut totals, "EUR", "0.20".parse().unwrap(), 2);
        add_to(&mut totals, "USD", "5".parse().unwrap(), 1);
        assert_eq!(totals[0].amount, "0.30");
        assert_eq!(totals[0].count, 3);
        assert_eq!(totals[1].currency, "USD");
    }
}
