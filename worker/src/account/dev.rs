//! The account's dev-only commands (refused outside `wrangler dev`): they put
//! an object in a state an older version, or time, would have left it in, so
//! that end-to-end tests can watch what follows.

use super::db::Result;
use super::object::{Handle, Scope};
use super::protocol::{AgeDeliveries, ForgetSessions, Refusal, UnnumberSessions};

fn dev_only(scope: &Scope<'_>) -> Result<()> {
    if scope.config.dev {
        Ok(())
    } else {
        Err(Refusal::DevOnly.into())
    }
}

impl Handle for ForgetSessions {
    async fn handle(self, scope: &Scope<'_>) -> Result<i64> {
        dev_only(scope)?;
        scope.db.forget_sessions()
    }
}

impl Handle for UnnumberSessions {
    async fn handle(self, scope: &Scope<'_>) -> Result<i64> {
        dev_only(scope)?;
        let n = scope.db.unnumber_sessions()?;
        scope.db.unsplit_history()?;
        // The next command migrates the tables, as after an upgrade.
        scope.object.migrated.set(false);
        Ok(n)
    }
}

impl Handle for AgeDeliveries {
    async fn handle(self, scope: &Scope<'_>) -> Result<i64> {
        dev_only(scope)?;
        scope.db.age_deliveries(self.days)
    }
}
