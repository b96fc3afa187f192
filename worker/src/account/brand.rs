//! The merchant's brand on the hosted checkout in this mode (core's
//! `Brand`): one row, read with a session for its page (no extra request)
//! and by the `/v1/brand` routes. Test and live each have their own, so a
//! test key cannot change what live shoppers see.

use checkout_core::brand::Brand;

use serde::Deserialize;

use super::db::{from_json, text, to_json, BodyRow, Db, Result};
use super::object::{Handle, Scope};
use super::protocol::{GetBrand, GetLogo, Logo, PutBrand, PutLogo};

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

impl Db {
    fn logo(&self) -> Result<Option<Logo>> {
        #[derive(Deserialize)]
        struct Row {
            content_type: String,
            body: String,
        }
        let brand = self.brand()?;
        Ok(self
            .rows::<Row>("SELECT content_type, body FROM logo WHERE id = 1", vec![])?
            .pop()
            .map(|r| Logo {
                content_type: r.content_type,
                base64: r.body,
                version: brand.logo_version.unwrap_or_default(),
            }))
    }

    fn put_logo(&self, logo: Option<&Logo>) -> Result<Brand> {
        match logo {
            Some(logo) => self.exec(
                "INSERT INTO logo (id, content_type, body) VALUES (1, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET content_type = excluded.content_type, body = excluded.body",
                vec![text(logo.content_type.as_str()), text(logo.base64.as_str())],
            )?,
            None => self.exec("DELETE FROM logo", vec![])?,
        }
        let brand = Brand {
            logo_version: logo.map(|l| l.version.clone()),
            ..self.brand()?
        };
        self.put_brand(&brand)?;
        Ok(brand)
    }
}

impl Handle for GetLogo {
    fn when_empty(&self) -> Option<Result<Option<Logo>>> {
        Some(Ok(None))
    }

    async fn handle(self, scope: &Scope<'_>) -> Result<Option<Logo>> {
        scope.db.logo()
    }
}

impl Handle for PutLogo {
    async fn handle(self, scope: &Scope<'_>) -> Result<Brand> {
        scope.db.put_logo(self.logo.as_ref())
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
    /// An uploaded logo stays (it has its own route).
    async fn handle(self, scope: &Scope<'_>) -> Result<Brand> {
        let brand = Brand {
            logo_version: scope.db.brand()?.logo_version,
            ..self.brand
        };
        scope.db.put_brand(&brand)?;
        Ok(brand)
    }
}
