//! The merchant's brand on the hosted checkout in this mode (core's
//! `Brand`): one row, read with a session for its page (no extra request)
//! and by the `/v1/brand` routes. Test and live each have their own, so a
//! test key cannot change what live shoppers see.

use checkout_core::brand::Brand;

use super::db::{from_json, text, to_json, BodyRow, Db, Result};
use super::object::{Handle, Scope};
use super::protocol::{GetBrand, PutBrand};

impl Db {
    /// The brand (an empty one if never set).
    pub fn brand(&self) -> Result<Brand> {
        match self
            .rows::<BodyRow>("SELECT body FROM brand WHERE id = 1", vec![])?
            .first()
        {
            Some(row) => from_json(&row.body),
            None => Ok(Brand::default()),
        }
    }

    fn put_brand(&self, brand: &Brand) -> Result<()> {
        self.exec(
            "INSERT INTO brand (id, body) VALUES (1, ?)
             ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            vec![text(to_json(brand)?)],
        )
    }
}

impl Handle for GetBrand {
    fn when_empty(&self) -> Option<Result<Brand>> {
        Some(Ok(Brand::default()))
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<Brand> {
        scope.db.brand()
    }
}

impl Handle for PutBrand {
    async fn handle(self, scope: &Scope<'_>) -> Result<Brand> {
        scope.db.put_brand(&self.brand)?;
        Ok(self.brand)
    }
}
