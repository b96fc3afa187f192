//! Where the delivery history is kept, and for how long: two tables, one
//! written ([`Half`] in `meta.history_half`) and the one before it, read
//! together through the view `deliveries`. Every [`HISTORY_DAYS`] the older
//! table is dropped whole and made again empty, to be written next: what is
//! still to be sent in it moves first. Dropping a table writes a few rows of
//! the schema however many deliveries it holds, where deleting them one by
//! one cost a row written each (the free plan counts a row deleted as a row
//! written): one more row per paid session, 30 days later. A delivery is so
//! kept at least [`HISTORY_DAYS`] and at most twice that.

use checkout_core::time::{UnixMillis, DAY_MS};
use worker::SqlStorageValue;

use crate::account::db::{int, Db, Meta, Result};

/// How long the delivery history keeps a delivery that has settled
/// (delivered, failed or held) at least, in days; it is forgotten with its
/// table, at most twice that. Not scaled with the webhook schedule: tests
/// age deliveries instead (`AgeDeliveries`).
pub const HISTORY_DAYS: i64 = 30;

/// One of the history's two tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Half(u8);

impl Half {
    const BOTH: [Half; 2] = [Half(0), Half(1)];

    fn table(self) -> &'static str {
        ["deliveries_0", "deliveries_1"][usize::from(self.0)]
    }

    fn other(self) -> Half {
        Half(1 - self.0)
    }

    fn of(meta: Option<i64>) -> Half {
        Half(u8::from(meta == Some(1)))
    }

    fn create(self) -> [String; 3] {
        create(self.table())
    }
}

/// A table of deliveries named `t`, its index of what is due (only what is
/// still to be sent) and of what is held.
fn create(t: &str) -> [String; 3] {
    [
        format!(
            "CREATE TABLE IF NOT EXISTS {t} (
                    event_id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    session_id TEXT,
                    sequence INTEGER NOT NULL,
                    url TEXT,
                    body TEXT NOT NULL,
                    one_time INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    failures INTEGER NOT NULL DEFAULT 0,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_at INTEGER,
                    ordered INTEGER NOT NULL DEFAULT 0,
                    flag_at INTEGER,
                    flagged INTEGER NOT NULL DEFAULT 0,
                    created_at INTEGER NOT NULL,
                    delivered_at INTEGER,
                    attempt_log TEXT,
                    sending_until INTEGER)"
        ),
        format!("CREATE INDEX IF NOT EXISTS {t}_next ON {t} (next_at) WHERE next_at IS NOT NULL"),
        format!("CREATE INDEX IF NOT EXISTS {t}_held ON {t} (created_at) WHERE status = 'held'"),
    ]
}

/// The columns a delivery is read and moved by (the tables' `flag_at` is
/// unused).
pub const COLUMNS: &str = "event_id, kind, session_id, sequence, url, body, one_time, status, \
                           failures, attempts, next_at, ordered, flagged, created_at, \
                           delivered_at, attempt_log, sending_until";

/// The rowid the next delivery gets: above every delivery in either table,
/// so that rowid order stays the order of creation across them (each
/// table's largest rowid is one step of its b-tree).
pub const NEXT_ROWID: &str = "(SELECT COALESCE(MAX(m), 0) + 1 FROM (
     SELECT MAX(rowid) AS m FROM deliveries_0 UNION ALL SELECT MAX(rowid) FROM deliveries_1))";

impl Db {
    /// Makes the history's tables and view; an object made before the
    /// history had two tables has its one table become the first.
    pub fn migrate_history(&self) -> Result<()> {
        let single = self.count(
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'deliveries'",
            vec![],
        )? > 0;
        if single {
            #[derive(serde::Deserialize)]
            struct Sql {
                sql: String,
            }
            let table: Vec<Sql> = self.rows(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'deliveries'",
                vec![],
            )?;
            // Columns the table gained before it was split.
            for (column, declaration) in [("attempt_log", "TEXT"), ("sending_until", "INTEGER")] {
                if table.first().is_some_and(|t| !t.sql.contains(column)) {
                    self.exec(
                        &format!("ALTER TABLE deliveries ADD COLUMN {column} {declaration}"),
                        vec![],
                    )?;
                }
            }
            // Its partial indexes are made again under the table's new name
            // (they hold only what is due or held: a few rows).
            for statement in [
                "DROP INDEX IF EXISTS deliveries_next",
                "DROP INDEX IF EXISTS deliveries_held",
                "ALTER TABLE deliveries RENAME TO deliveries_0",
            ] {
                self.exec(statement, vec![])?;
            }
        }
        for half in Half::BOTH {
            for statement in half.create() {
                self.exec(&statement, vec![])?;
            }
        }
        self.exec(
            &format!(
                "CREATE VIEW IF NOT EXISTS deliveries AS
                   SELECT rowid AS row_id, {COLUMNS} FROM deliveries_0
                   UNION ALL SELECT rowid AS row_id, {COLUMNS} FROM deliveries_1"
            ),
            vec![],
        )
    }

    /// The table new deliveries go into, and the older one.
    pub fn history_tables(&self) -> Result<(&'static str, &'static str)> {
        let written = Half::of(self.meta(Meta::HistoryHalf)?);
        Ok((written.table(), written.other().table()))
    }

    /// Runs a statement that changes deliveries on both tables (the rows it
    /// means are in one or the other): `{table}` in it names each. What the
    /// statement returns, from both.
    pub fn change_deliveries<T: serde::de::DeserializeOwned>(
        &self,
        statement: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> Result<Vec<T>> {
        let mut all = Vec::new();
        for half in Half::BOTH {
            all.extend(self.rows(
                &statement.replace("{table}", half.table()),
                bindings.clone(),
            )?);
        }
        Ok(all)
    }

    /// Forgets the older table once the one written has been written to for
    /// [`HISTORY_DAYS`]: what is still to be sent in the older one moves to the
    /// written one, then the older one is dropped, made again empty, and
    /// written from now on. Run by the alarm and the cron's sweep; costs a
    /// read of the meta row when there is nothing to do.
    pub fn forget_old(&self, now_ms: UnixMillis) -> Result<()> {
        let Some(since) = self.meta(Meta::HistorySince)? else {
            // An object made (or upgraded) before its history had a start.
            return self.set_meta(Meta::HistorySince, Some(now_ms));
        };
        if now_ms.since(UnixMillis(since)) < HISTORY_DAYS * DAY_MS {
            return Ok(());
        }
        let written = Half::of(self.meta(Meta::HistoryHalf)?);
        let (keep, old) = (written.table(), written.other().table());
        self.exec(
            &format!(
                "INSERT INTO {keep} (rowid, {COLUMNS}) SELECT rowid, {COLUMNS} FROM {old}
                 WHERE status IN ('pending', 'failing')"
            ),
            vec![],
        )?;
        self.exec(&format!("DROP TABLE {old}"), vec![])?;
        for statement in written.other().create() {
            self.exec(&statement, vec![])?;
        }
        self.set_metas(&[
            (Meta::HistoryHalf, Some(i64::from(written.other().0))),
            (Meta::HistorySince, Some(now_ms.0)),
        ])?;
        // Attempts an older version kept in a table of their own (none in
        // an object made since: the subquery then never runs).
        self.exec(
            "DELETE FROM attempts WHERE event_id NOT IN (SELECT event_id FROM deliveries)",
            vec![],
        )
    }

    /// Dev only (`UnnumberSessions`): the history back in the one table an
    /// object made before it was split had, so that tests can watch the
    /// upgrade keep it.
    pub fn unsplit_history(&self) -> Result<()> {
        self.exec("DROP VIEW deliveries", vec![])?;
        for statement in create("deliveries") {
            self.exec(&statement, vec![])?;
        }
        for statement in [
            &format!(
                "INSERT INTO deliveries (rowid, {COLUMNS})
                 SELECT rowid, {COLUMNS} FROM deliveries_0
                 UNION ALL SELECT rowid, {COLUMNS} FROM deliveries_1"
            ),
            "DROP TABLE deliveries_0",
            "DROP TABLE deliveries_1",
            "UPDATE meta SET history_half = NULL, history_since = NULL",
        ] {
            self.exec(statement, vec![])?;
        }
        Ok(())
    }

    /// Dev only (`AgeDeliveries`): every delivery `days` older, and the
    /// history's tables with them.
    pub fn age_deliveries(&self, days: i64) -> Result<i64> {
        let n = self.count("SELECT COUNT(*) AS n FROM deliveries", vec![])?;
        let by = days.saturating_mul(DAY_MS);
        self.change_deliveries::<serde::de::IgnoredAny>(
            "UPDATE {table} SET created_at = created_at - ?",
            vec![int(by)],
        )?;
        if let Some(since) = self.meta(Meta::HistorySince)? {
            self.set_meta(Meta::HistorySince, Some(since.saturating_sub(by)))?;
        }
        Ok(n)
    }
}
