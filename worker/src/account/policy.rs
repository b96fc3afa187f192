//! The merchant's payment policy in this mode (core's `PaymentPolicy`): one
//! row, read when a session is opened (the session keeps it) and by the
//! `/v1/payment-policy` routes. Never set: core's defaults, which accept
//! nothing that does not fit exactly.

use checkout_core::policy::PaymentPolicy;

use super::db::{from_json, text, to_json, BodyRow, Db, Result};
use super::object::{Handle, Scope};
use super::protocol::{GetPolicy, PutPolicy};

impl Db {
    /// The policy in force (the defaults if never set).
    pub fn policy(&self) -> Result<PaymentPolicy> {
        match self
            .rows::<BodyRow>("SELECT body FROM policy WHERE id = 1", vec![])?
            .first()
        {
            Some(row) => from_json(&row.body),
            None => Ok(PaymentPolicy::default()),
        }
    }

    fn put_policy(&self, policy: &PaymentPolicy) -> Result<()> {
        self.exec(
            "INSERT INTO policy (id, body) VALUES (1, ?)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            vec![text(to_json(policy)?)],
        )
    }
}

impl Handle for GetPolicy {
    fn when_empty(&self) -> Option<Result<PaymentPolicy>> {
        Some(Ok(PaymentPolicy::default()))
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<PaymentPolicy> {
        scope.db.policy()
    }
}

impl Handle for PutPolicy {
    async fn handle(self, scope: &Scope<'_>) -> Result<PaymentPolicy> {
        scope.db.put_policy(&self.policy)?;
        Ok(self.policy)
    }
}
