//! Finding a session by a payment id, and numbering new sessions so that
//! their payment id finds them with no index (see core's `ids::Numbering`):
//! a numbered session's row is at the rowid its payment id numbers; a payment
//! id drawn at random (rows from before numbering, sessions imported from KV)
//! is in the partial index `sessions_by_drawn_payment` (in a large object
//! made before numbering, the full index it kept); a partially paid
//! session's later payment ids are rows of `payment_ids`.

use checkout_core::ids::SessionId;
use checkout_core::PaymentId;
use serde::Deserialize;

use super::super::db::{fail, int, text, Db, Result};
use super::{Entry, Row};

impl Db {
    /// The row holding a payment id as its own (not a remainder's): a
    /// numbered session's is at the rowid its payment id numbers, found with
    /// no index; one drawn at random is in the drawn payment ids' index.
    /// With `id`, only that session's.
    pub(super) fn row_of_payment(
        &self,
        payment_id: &PaymentId,
        id: Option<&SessionId>,
    ) -> Result<Option<Entry>> {
        // The payment id, and the session id when one is named: the last
        // bindings of both lookups.
        let and_id = if id.is_some() { " AND id = ?" } else { "" };
        let named: Vec<_> = std::iter::once(text(payment_id.as_str()))
            .chain(id.map(|id| text(id.as_str())))
            .collect();
        let number = self.numbering()?.number(payment_id);
        let numbered = std::iter::once(int(number as i64))
            .chain(named.iter().cloned())
            .collect();
        if let Some(found) = self.row_where(
            &format!("rowid = ? AND numbered = 1 AND payment_id = ?{and_id}"),
            numbered,
        )? {
            return Ok(Some(found));
        }
        self.row_where(&format!("payment_id = ? AND numbered = 0{and_id}"), named)
    }

    /// The session holding an ETN payment id: its first (in its row) or the
    /// id of a remainder after a partial payment.
    pub fn session_of_payment(&self, payment_id: &PaymentId) -> Result<Option<Row>> {
        if let Some(Entry::Here(row)) = self.row_of_payment(payment_id, None)? {
            return Ok(Some(row));
        }
        let Some(id) = self.remainder_of(payment_id)? else {
            return Ok(None);
        };
        self.session(&id)
    }

    /// The session a remainder's payment id was drawn for.
    fn remainder_of(&self, payment_id: &PaymentId) -> Result<Option<SessionId>> {
        #[derive(Deserialize)]
        struct Owner {
            session_id: String,
        }
        self.rows::<Owner>(
            "SELECT session_id FROM payment_ids WHERE payment_id = ?",
            vec![text(payment_id.as_str())],
        )?
        .first()
        .map(|r| {
            r.session_id
                .parse()
                .map_err(|_| fail("stored payment_ids.session_id"))
        })
        .transpose()
    }

    /// Whether a payment id pays any session of this account already.
    pub fn payment_id_taken(&self, payment_id: &PaymentId) -> Result<bool> {
        let number = self.numbering()?.number(payment_id);
        Ok(self.count(
            "SELECT (EXISTS (SELECT 1 FROM sessions WHERE rowid = ? AND numbered = 1 AND payment_id = ?)
                  OR EXISTS (SELECT 1 FROM sessions WHERE payment_id = ? AND numbered = 0)
                  OR EXISTS (SELECT 1 FROM payment_ids WHERE payment_id = ?)) AS n",
            vec![
                int(number as i64),
                text(payment_id.as_str()),
                text(payment_id.as_str()),
                text(payment_id.as_str()),
            ],
        )? != 0)
    }

    /// The number and id a new session gets: the next number whose payment
    /// id no session has (one drawn at random before numbering, or a
    /// remainder's, could be it), the rest of the id from `random`.
    pub fn next_session_id(&self, random: [u8; 5]) -> Result<(i64, SessionId)> {
        let next = self.count(
            "SELECT MAX(COALESCE(MAX(rowid), 0), 0) + 1 AS n FROM sessions",
            vec![],
        )?;
        let numbering = self.numbering()?;
        // A taken payment id is one in 2^40 per session drawn at random: a
        // few tries always find a free number.
        for number in next..next.saturating_add(8) {
            let id = u64::try_from(number)
                .ok()
                .and_then(|n| numbering.session_id(n, random))
                .ok_or_else(|| fail("every session number is used"))?;
            let payment_id = id
                .payment_id()
                .ok_or_else(|| fail("a numbered id has a payment id"))?;
            if !self.payment_id_taken(&payment_id)? {
                return Ok((number, id));
            }
        }
        Err(fail("no free session number"))
    }

    /// Registers the payment id of what is left to pay of a session.
    pub fn add_remainder(&self, payment_id: &PaymentId, session: &SessionId) -> Result<()> {
        self.exec(
            "INSERT INTO payment_ids (payment_id, session_id) VALUES (?, ?)",
            vec![text(payment_id.as_str()), text(session.as_str())],
        )
    }

    /// The id of a session whose row only holds a summary (its record is in KV).
    pub fn kv_only(&self, payment_id: &PaymentId) -> Result<Option<SessionId>> {
        Ok(match self.row_of_payment(payment_id, None)? {
            Some(Entry::Summary(summary, _)) => Some(summary.id),
            _ => None,
        })
    }
}
