//! The merchant's webhook endpoint in one mode (the webhook-forwarding-api's
//! configuration) and the secrets that sign what is sent there.
//!
//! The signing secret exists before any endpoint does (payment links compute
//! their `secret` with it, `order.paid` bodies carry a signature made with it): it
//! starts as the merchant's own (`whsec_...`, shown once when the merchant was
//! created), and changes per mode by a `PUT` with a new secret or a rotation.
//! During the rotation window the previous secret signs every request too.

use checkout_core::time::UnixMillis;
use checkout_core::webhook::{scaled_ms, Signers, ROTATION_WINDOW};

use super::db::{from_json, int, text, to_json, BodyRow, Db, Result};
use super::protocol::{DisabledReason, Endpoint, Secrets};
use crate::secret::{ExposeSecret, Sealed, SealingKey, SecretString};

/// The signing secrets, opened, for one attempt.
pub struct Open {
    pub current: SecretString,
    pub previous: Option<SecretString>,
}

impl Open {
    pub fn signers(&self) -> Signers<'_> {
        Signers {
            current: self.current.expose_secret(),
            previous: self.previous.as_ref().map(|p| p.expose_secret()),
        }
    }
}

impl Db {
    /// Whether the signing secrets were seeded.
    pub fn has_secrets(&self) -> Result<bool> {
        Ok(self.count("SELECT COUNT(*) AS n FROM secrets", vec![])? > 0)
    }

    /// Seeds the signing secrets with the merchant's own, if they are not yet.
    pub fn seed_secrets(&self, seed: Sealed) -> Result<()> {
        let initial = Secrets {
            current: seed,
            previous: None,
            previous_until: None,
        };
        self.exec(
            "INSERT INTO secrets (id, body) VALUES (1, ?) ON CONFLICT (id) DO NOTHING",
            vec![text(to_json(&initial)?)],
        )
    }

    /// The signing secrets (seeded before any command runs).
    pub fn secrets(&self) -> Result<Secrets> {
        let rows: Vec<BodyRow> = self.rows("SELECT body FROM secrets WHERE id = 1", vec![])?;
        match rows.first() {
            Some(row) => from_json(&row.body),
            None => Err(super::db::fail(
                "the account's signing secrets were never seeded",
            )),
        }
    }

    fn put_secrets(&self, secrets: &Secrets) -> Result<()> {
        self.exec(
            "UPDATE secrets SET body = ? WHERE id = 1",
            vec![text(to_json(secrets)?)],
        )
    }

    /// Replaces the signing secret at once (a `PUT` that names one).
    pub fn replace_secret(&self, secret: Sealed) -> Result<()> {
        self.put_secrets(&Secrets {
            current: secret,
            previous: None,
            previous_until: None,
        })
    }

    /// Rotates: `secret` signs from now on, the previous one too for the window.
    pub fn rotate_secret(&self, secret: Sealed, now_ms: UnixMillis, scale: f64) -> Result<Secrets> {
        let old = self.secrets()?;
        let rotated = Secrets {
            current: secret,
            previous: Some(old.current),
            previous_until: Some(now_ms.plus(scaled_ms(ROTATION_WINDOW, scale))),
        };
        self.put_secrets(&rotated)?;
        Ok(rotated)
    }

    /// The secrets that sign at `now_ms`, opened.
    pub fn open_secrets(&self, key: &SealingKey, now_ms: UnixMillis) -> Result<Open> {
        let s = self.secrets()?;
        let open = |sealed: &Sealed| {
            sealed
                .open(key)
                .map_err(|_| super::db::fail("a signing secret does not open with SECRETS_KEY"))
        };
        Ok(Open {
            current: open(&s.current)?,
            previous: match (&s.previous, s.previous_until) {
                (Some(p), Some(until)) if now_ms < until => Some(open(p)?),
                _ => None,
            },
        })
    }

    pub fn endpoint(&self) -> Result<Option<Endpoint>> {
        let rows: Vec<BodyRow> = self.rows("SELECT body FROM endpoint WHERE id = 1", vec![])?;
        rows.first().map(|r| from_json(&r.body)).transpose()
    }

    pub fn put_endpoint(&self, endpoint: &Endpoint) -> Result<()> {
        self.exec(
            "INSERT INTO endpoint (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            vec![text(to_json(endpoint)?)],
        )
    }

    pub fn delete_endpoint(&self) -> Result<bool> {
        let existed = self.endpoint()?.is_some();
        self.exec("DELETE FROM endpoint WHERE id = 1", vec![])?;
        Ok(existed)
    }

    /// Disables the endpoint for `reason`; what is queued waits (held).
    pub fn disable_endpoint(&self, reason: DisabledReason, now_ms: UnixMillis) -> Result<()> {
        if let Some(mut e) = self.endpoint()? {
            e.enabled = false;
            e.disabled_reason = Some(reason);
            e.updated_at = now_ms;
            self.put_endpoint(&e)?;
        }
        self.hold_queued()
    }

    /// Every delivery to the endpoint not yet delivered or given up waits
    /// until the endpoint is enabled again (an order's own URL goes on).
    pub fn hold_queued(&self) -> Result<()> {
        self.change_deliveries::<serde::de::IgnoredAny>(
            "UPDATE {table} SET status = 'held', next_at = NULL
             WHERE status IN ('pending', 'failing') AND url IS NULL",
            vec![],
        )?;
        Ok(())
    }

    /// Held deliveries go out again, in the order they were created, one at a
    /// time (`ordered`), with their schedule started afresh.
    pub fn release_held(&self, now_ms: UnixMillis) -> Result<()> {
        self.change_deliveries::<serde::de::IgnoredAny>(
            "UPDATE {table} SET status = 'pending', next_at = ?, failures = 0, ordered = 1
             WHERE status = 'held'",
            vec![int(now_ms)],
        )?;
        Ok(())
    }
}
