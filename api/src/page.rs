//! Every list the API answers, one shape: `{"object": "list", "data": [...],
//! "has_more", "next_cursor"}` (as Stripe's), and how long a page may be.

use serde::{Deserialize, Serialize};

/// What a list's `object` says: always `list`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ListObject {
    #[default]
    List,
}

/// One page of a list, newest first. Its schema in `/openapi.json` is named
/// for what it lists ([`Listable`]), as each list was before it was generic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// Always `list`.
    pub object: ListObject,
    pub data: Vec<T>,
    pub has_more: bool,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A page of `data`, and where the next one starts if there is one.
    pub fn new(data: Vec<T>, next_cursor: Option<i64>) -> Page<T> {
        Page {
            object: ListObject::List,
            data,
            has_more: next_cursor.is_some(),
            next_cursor: next_cursor.map(|c| c.to_string()),
        }
    }
}

/// What a [`Page`] can list: the name of such a page's schema.
pub trait Listable {
    const PAGE: &'static str;
}

#[cfg(feature = "openapi")]
mod schema {
    use std::borrow::Cow;

    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
    use utoipa::openapi::{Ref, RefOr};
    use utoipa::{PartialSchema, ToSchema};

    use super::{ListObject, Listable, Page};

    impl<T: ToSchema + Listable> PartialSchema for Page<T> {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .description(Some("One page of a list, newest first."))
                .property("object", Ref::from_schema_name(ListObject::name()))
                .required("object")
                .property(
                    "data",
                    ArrayBuilder::new().items(Ref::from_schema_name(T::name())),
                )
                .required("data")
                .property("has_more", ObjectBuilder::new().schema_type(Type::Boolean))
                .required("has_more")
                .property(
                    "next_cursor",
                    ObjectBuilder::new()
                        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
                        .description(Some("Pass as `cursor` for the next page.")),
                )
                .into()
        }
    }

    impl<T: ToSchema + Listable> ToSchema for Page<T> {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed(T::PAGE)
        }

        fn schemas(all: &mut Vec<(String, RefOr<Schema>)>) {
            all.push((T::name().into_owned(), T::schema()));
            T::schemas(all);
            all.push((ListObject::name().into_owned(), ListObject::schema()));
        }
    }
}

/// How many items a page holds: 1 to [`PageLimit::MAX`], [`PageLimit::DEFAULT`]
/// when the request does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLimit(u32);

/// A `limit` that is not a whole number from 1 to [`PageLimit::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitInvalid;

impl std::fmt::Display for LimitInvalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "limit must be between 1 and {}", PageLimit::MAX)
    }
}

impl PageLimit {
    pub const DEFAULT: PageLimit = PageLimit(20);
    pub const MAX: u32 = 100;

    /// The `limit` of a query, as its text.
    pub fn parse(text: Option<&str>) -> Result<PageLimit, LimitInvalid> {
        match text {
            None => Ok(PageLimit::DEFAULT),
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=PageLimit::MAX).contains(n))
                .map(PageLimit)
                .ok_or(LimitInvalid),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_says_whether_more_follow() {
        let page = Page::new(vec![1, 2], Some(7));
        let json = serde_json::to_value(&page).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"object": "list", "data": [1, 2], "has_more": true, "next_cursor": "7"})
        );
        let last: Page<u8> = Page::new(vec![], None);
        assert!(!last.has_more && last.next_cursor.is_none());
    }

    #[test]
    fn limits_are_one_to_a_hundred() {
        assert_eq!(PageLimit::parse(None), Ok(PageLimit::DEFAULT));
        assert_eq!(PageLimit::parse(Some("100")).map(PageLimit::get), Ok(100));
        for bad in ["0", "101", "-1", "x", "", "1.5"] {
            assert_eq!(PageLimit::parse(Some(bad)), Err(LimitInvalid), "{bad}");
        }
    }
}
