//! What the dashboard reads of the sessions table: filtered summaries a page
//! at a time, the records of a listing, and the overview's figures.
//!
//! **Paid totals** per UTC day and currency are kept in `daily`, rolled up
//! from the sessions table rather than written with each payment (a row per
//! paid session would be a tenth of what the free plan lets a session
//! write). The rows below `meta.rolled_floor` are counted there; the
//! overview adds up the paid sessions at or above it as it reads. When the
//! alarm or the sweep moves the pending floor (every session below it has
//! ended), the sessions up to it are rolled up, at most once every
//! [`ROLL_EVERY`] seconds: a few rows a day, whatever the traffic. A session
//! paid after the roll-up passed its row (a late payment, a session imported
//! from KV) is added to its day at once.

use checkout_api::dashboard::{Day, GiveBack, Overview, SessionSummary, Total};
use checkout_core::session::{Session, State};
use checkout_core::time::{UnixSeconds, DAY};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::super::db::{fail, int, opt_int, paged, probe, text, Db, Meta, Result};
use super::super::protocol::{SessionQuery, SummaryPage};
use super::{entry, Entry, Listed, RowData, ROW};
use crate::account::claims::ClaimKind;
use checkout_core::ids::SessionId;

/// A session as the dashboard lists it, as of `now` (the account object's
/// listing recomputes the state as of the time it is read).
pub fn summary(s: &Session, now: UnixSeconds) -> SessionSummary {
    let state = s.state_at(now);
    SessionSummary {
        id: s.id.clone(),
        dialect: s.dialect,
        state,
        status: s.dialect.status(state).to_owned(),
        amount: s.price.to_string(),
        currency: s.price.currency().code().to_owned(),
        etn_amount: s.etn_due().to_string(),
        order_id: s.order_id.clone(),
        payment_id: s.payment_string.payment_id().to_string(),
        alias: s
            .public_order_id
            .as_ref()
            .map(|a| a.to_string())
            .or_else(|| s.link_id.as_ref().map(|a| a.to_string())),
        created_at: s.created_at,
        expires_at: s.expires_at,
        paid_at: (s.state == State::Paid).then_some(s.updated_at),
        notification_failing: false,
        etn_received: (!s.payments.is_empty()).then(|| s.tally().received().0.to_string()),
        give_back: give_back(s, now),
        late: s.late,
        accepted_by: s.accepted.as_ref().map(|a| a.by.clone()),
    }
}

/// What the merchant should give back of a session, if anything.
fn give_back(s: &Session, now: UnixSeconds) -> Option<GiveBack> {
    let (etn, amount) = s.to_give_back(now);
    (etn > rust_decimal::Decimal::ZERO || amount > rust_decimal::Decimal::ZERO).then(|| GiveBack {
        etn: etn.to_string(),
        amount: amount.to_string(),
    })
}

/// How often, at most, the paid totals are rolled up (seconds).
const ROLL_EVERY: i64 = 600;

/// What the totals need of a paid session, read from its record: the paths
/// are those of `Stored`'s serde fields (`session.updated_at`, the instant
/// it was paid; `session.price`, `Money`'s `amount` and `currency`).
const PAID_COLUMNS: &str = "json_extract(record, '$.session.updated_at') AS paid_at,
    json_extract(record, '$.session.price.currency') AS currency,
    json_extract(record, '$.session.price.amount') AS amount";

/// A paid session, as the totals count it.
#[derive(Deserialize)]
struct PaidRow {
    paid_at: UnixSeconds,
    currency: String,
    amount: String,
}

/// Paid sessions added up per day and currency: (day, currency, count, sum).
type Totals = Vec<(UnixSeconds, String, i64, Decimal)>;

fn add_up(rows: &[PaidRow]) -> Result<Totals> {
    let mut totals: Totals = Vec::new();
    for r in rows {
        let day = r.paid_at.start_of_day();
        let amount = parse_decimal(&r.amount)?;
        match totals
            .iter_mut()
            .find(|(d, c, _, _)| *d == day && *c == r.currency)
        {
            Some((_, _, n, sum)) => {
                *n += 1;
                *sum = sum.checked_add(amount).unwrap_or(*sum);
            }
            None => totals.push((day, r.currency.clone(), 1, amount)),
        }
    }
    Ok(totals)
}

/// A day's paid totals in one currency.
#[derive(Deserialize)]
struct DailyRow {
    /// The day's 00:00 UTC.
    day: UnixSeconds,
    currency: String,
    paid: i64,
    total: String,
}

/// The states a session is open in, as an SQL list (`'pending', ...`): core's
/// `State::is_open`, spelt once.
pub(super) fn open_states() -> String {
    State::ALL
        .into_iter()
        .filter(|s| s.is_open())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The clause that selects sessions in `state` as of the bound `now` (SQL text
/// of ours only: the state is an enum, never the client's text), and whether
/// it binds `now`. An open session past its expiry is expired.
fn state_clause(state: Option<State>) -> (String, bool) {
    match state {
        None => ("1".into(), false),
        Some(State::Expired) => (
            format!(
                "(state = 'expired' OR (state IN ({}) AND expires_at <= ?))",
                open_states()
            ),
            true,
        ),
        Some(open) if open.is_open() => (
            format!("(state = '{}' AND expires_at > ?)", open.as_str()),
            true,
        ),
        Some(other) => (format!("state = '{}'", other.as_str()), false),
    }
}

/// A summary as of `now`: the state a reader sees, and whether its paid
/// notification is failing.
fn as_of(mut s: SessionSummary, now: UnixSeconds, failing: bool) -> SessionSummary {
    if s.state.is_open() && now >= s.expires_at {
        s.state = State::Expired;
    }
    s.status = s.dialect.status(s.state).to_owned();
    s.notification_failing = failing && s.state == State::Paid;
    s
}

impl Db {
    /// Paid sessions at or above this rowid are not in `daily` yet.
    fn rolled_floor(&self) -> Result<i64> {
        Ok(self.meta(Meta::RolledFloor)?.unwrap_or(1))
    }

    /// A session at `rowid` just became paid: counted in its day's totals at
    /// once if the roll-up has passed its row, else by the next roll-up.
    pub(super) fn count_paid(&self, rowid: i64, s: &Session, paid_at: UnixSeconds) -> Result<()> {
        if rowid >= self.rolled_floor()? {
            return Ok(());
        }
        self.add_to_day(
            paid_at.start_of_day(),
            s.price.currency().code(),
            1,
            s.price.amount(),
        )
    }

    /// The paid sessions from rowid `from` (up to `to`, not included).
    fn paid_between(&self, from: i64, to: Option<i64>) -> Result<Vec<PaidRow>> {
        self.rows(
            &format!(
                "SELECT {PAID_COLUMNS} FROM sessions
                 WHERE rowid >= ? AND (? IS NULL OR rowid < ?) AND state = 'paid'
                   AND record IS NOT NULL"
            ),
            vec![int(from), opt_int(to), opt_int(to)],
        )
    }

    /// Rolls the paid sessions below `to` (the pending floor: all of them
    /// have ended) into `daily`, unless that was done in the last
    /// [`ROLL_EVERY`] seconds: the meta values to write with the floor's, if
    /// it rolled.
    pub(super) fn roll_up(&self, to: i64, now: UnixSeconds) -> Result<Vec<(Meta, Option<i64>)>> {
        let from = self.rolled_floor()?;
        let recently = self
            .meta(Meta::RolledAt)?
            .is_some_and(|at| (0..ROLL_EVERY).contains(&(now.0 - at)));
        if to <= from || recently {
            return Ok(Vec::new());
        }
        for (day, currency, n, sum) in add_up(&self.paid_between(from, Some(to))?)? {
            self.add_to_day(day, &currency, n, sum)?;
        }
        Ok(vec![
            (Meta::RolledFloor, Some(to)),
            (Meta::RolledAt, Some(now.0)),
        ])
    }

    fn add_to_day(&self, day: UnixSeconds, currency: &str, n: i64, amount: Decimal) -> Result<()> {
        let current: Option<DailyRow> = self
            .rows(
                "SELECT day, currency, paid, total FROM daily WHERE day = ? AND currency = ?",
                vec![int(day), text(currency)],
            )?
            .into_iter()
            .next();
        let (paid, total) = match current {
            Some(row) => (row.paid, parse_decimal(&row.total)?),
            None => (0, Decimal::ZERO),
        };
        // A derived figure: an absurd sum must not stop a payment being recorded.
        let total = total.checked_add(amount).unwrap_or_else(|| {
            worker::console_error!("daily total overflow for {currency}");
            total
        });
        self.exec(
            "INSERT INTO daily (day, currency, paid, total) VALUES (?, ?, ?, ?)
             ON CONFLICT (day, currency) DO UPDATE SET paid = excluded.paid, total = excluded.total",
            vec![
                int(day),
                text(currency),
                int(paid.saturating_add(n)),
                text(total.to_string()),
            ],
        )
    }

    /// The sessions a search names exactly: by session id, alias, payment id
    /// or order id (hashed, as the orders table keeps it).
    pub(super) fn search_clause(
        &self,
        search: &str,
    ) -> Result<(String, Vec<worker::SqlStorageValue>)> {
        let mut ids: Vec<String> = Vec::new();
        let routed = search
            .parse::<SessionId>()
            .ok()
            .or_else(|| {
                search
                    .parse::<checkout_core::ids::PublicOrderId>()
                    .ok()?
                    .session_id()
            })
            .or_else(|| {
                search
                    .parse::<checkout_core::ids::LinkId>()
                    .ok()?
                    .session_id()
            });
        if let Some(id) = routed {
            ids.push(id.to_string());
        }
        if let Some(claim) = self.claim(ClaimKind::Order, &crate::secret::digest(search))? {
            ids.push(claim.session_id);
        }
        let mut clause = String::from(
            "(id = ? OR payment_id = ? OR (legacy = 1 AND (order_id = ? OR alias = ?))",
        );
        let mut bindings = vec![text(search), text(search), text(search), text(search)];
        for id in ids {
            clause.push_str(" OR id = ?");
            bindings.push(text(id));
        }
        clause.push(')');
        Ok((clause, bindings))
    }

    /// One page of summaries, newest first.
    pub fn summaries(&self, q: &SessionQuery) -> Result<SummaryPage> {
        let (state, binds_now) = state_clause(q.state);
        let mut clauses = vec![state];
        let mut bindings = Vec::new();
        if binds_now {
            bindings.push(int(q.now));
        }
        if q.attention {
            clauses.push("attention = 1".into());
        }
        if let Some(d) = q.dialect {
            clauses.push("dialect = ?".into());
            bindings.push(text(d.as_str()));
        }
        if let Some(from) = q.from {
            clauses.push("created_at >= ?".into());
            bindings.push(int(from));
        }
        if let Some(until) = q.until {
            clauses.push("created_at < ?".into());
            bindings.push(int(until));
        }
        if let Some(search) = &q.search {
            let (clause, more) = self.search_clause(search)?;
            clauses.push(clause);
            bindings.extend(more);
        }
        if let Some(before) = q.before {
            clauses.push("rowid < ?".into());
            bindings.push(int(before));
        }
        bindings.push(int(probe(q.limit)));
        let rows: Vec<RowData> = self.rows(
            &format!(
                "SELECT {ROW} FROM sessions WHERE {} ORDER BY rowid DESC LIMIT ?",
                clauses.join(" AND ")
            ),
            bindings,
        )?;
        let (rows, next_cursor) = paged(rows, q.limit, |r| r.row_id);
        let data = rows
            .into_iter()
            .map(|r| {
                Ok(match entry(r)? {
                    Entry::Here(row) => {
                        as_of(summary(&row.stored.session, q.now), q.now, row.flagged)
                    }
                    Entry::Summary(summary, flagged) => as_of(summary, q.now, flagged),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(SummaryPage { data, next_cursor })
    }

    /// One page of sessions with their records, newest first; those whose
    /// record is still in KV by id.
    pub fn records(&self, before: Option<i64>, limit: u32) -> Result<(Vec<Listed>, Option<i64>)> {
        let rows: Vec<RowData> = self.rows(
            &format!(
                "SELECT {ROW} FROM sessions WHERE (? IS NULL OR rowid < ?) ORDER BY rowid DESC LIMIT ?"
            ),
            vec![opt_int(before), opt_int(before), int(probe(limit))],
        )?;
        let (rows, next_cursor) = paged(rows, limit, |r| r.row_id);
        let data = rows
            .into_iter()
            .map(|r| {
                Ok(match entry(r)? {
                    Entry::Here(row) => Listed::Here(Box::new(row.read())),
                    Entry::Summary(summary, _) => Listed::InKv(summary.id),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((data, next_cursor))
    }

    /// The overview's figures as of `now`.
    pub fn overview(&self, now: UnixSeconds) -> Result<Overview> {
        let today = now.start_of_day();
        let first_chart_day = today.minus(29 * DAY);
        let month = now.start_of_month();
        let rows: Vec<DailyRow> = self.rows(
            "SELECT day, currency, paid, total FROM daily WHERE day >= ? ORDER BY currency",
            vec![int(first_chart_day.min(month))],
        )?;
        let mut today_totals: Vec<Total> = Vec::new();
        let mut month_totals: Vec<Total> = Vec::new();
        let mut daily: Vec<Day> = (0..30)
            .map(|i| Day {
                day: first_chart_day.plus(i * DAY),
                paid: 0,
            })
            .collect();
        // What is rolled up, and the paid sessions the roll-up has not reached.
        let mut days: Totals = Vec::new();
        for row in &rows {
            days.push((
                row.day,
                row.currency.clone(),
                row.paid,
                parse_decimal(&row.total)?,
            ));
        }
        days.extend(add_up(&self.paid_between(self.rolled_floor()?, None)?)?);
        days.sort_by(|a, b| a.1.cmp(&b.1));
        for (day, currency, paid, total) in days {
            let paid = u64::try_from(paid).unwrap_or(0);
            if day == today {
                add_to(&mut today_totals, &currency, total, paid);
            }
            if day >= month {
                add_to(&mut month_totals, &currency, total, paid);
            }
            if let Some(d) = daily.iter_mut().find(|d| d.day == day) {
                d.paid = d.paid.saturating_add(paid);
            }
        }
        let floor = self.pending_floor()?;
        let awaiting = self.count(
            &format!(
                "SELECT COUNT(*) AS n FROM sessions WHERE rowid >= ? AND state IN ({})
                 AND expires_at > ? AND record IS NOT NULL",
                open_states()
            ),
            vec![int(floor), int(now)],
        )?;
        let attention = self.count(
            "SELECT COUNT(*) AS n FROM sessions WHERE attention = 1",
            vec![],
        )?;
        let failing = self.count(
            "SELECT COUNT(*) AS n FROM sessions WHERE flagged = 1 AND state = 'paid'",
            vec![],
        )?;
        Ok(Overview {
            today: today_totals,
            month: month_totals,
            daily,
            awaiting: u64::try_from(awaiting).unwrap_or(0),
            failing: u64::try_from(failing).unwrap_or(0),
            attention: u64::try_from(attention).unwrap_or(0),
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
    fn totals_add_exactly_per_currency() {
        let mut totals = Vec::new();
        add_to(&mut totals, "EUR", "0.10".parse().unwrap(), 1);
        add_to(&mut totals, "EUR", "0.20".parse().unwrap(), 2);
        add_to(&mut totals, "USD", "5".parse().unwrap(), 1);
        assert_eq!(totals[0].amount, "0.30");
        assert_eq!(totals[0].count, 3);
        assert_eq!(totals[1].currency, "USD");
    }

    #[test]
    fn paid_sessions_add_up_per_utc_day_and_currency() {
        let paid = |at: i64, currency: &str, amount: &str| PaidRow {
            paid_at: UnixSeconds(at),
            currency: currency.to_owned(),
            amount: amount.to_owned(),
        };
        let day = 1_764_892_800; // 2025-12-05 00:00 UTC
        let rows = [
            paid(day + 10, "EUR", "0.10"),
            paid(day + 86_399, "EUR", "0.20"),
            paid(day + 86_400, "EUR", "1.00"),
            paid(day + 5, "USD", "3"),
        ];
        let totals = add_up(&rows).unwrap();
        let find = |d: i64, c: &str| {
            totals
                .iter()
                .find(|(at, cur, _, _)| *at == UnixSeconds(d) && cur == c)
                .map(|(_, _, n, sum)| (*n, sum.to_string()))
        };
        assert_eq!(find(day, "EUR"), Some((2, "0.30".to_owned())));
        assert_eq!(find(day + 86_400, "EUR"), Some((1, "1.00".to_owned())));
        assert_eq!(find(day, "USD"), Some((1, "3".to_owned())));
        assert_eq!(totals.len(), 3);
        assert!(
            add_up(&[paid(day, "EUR", "ten")]).is_err(),
            "a stored amount that is not a decimal"
        );
    }
}
