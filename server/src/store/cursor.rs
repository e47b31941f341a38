//! The page cursor every store backend hands out: which order a page
//! follows ([`PageOrder`]), where the next page starts ([`PageCursor`]:
//! the last row's sort key and id), its text form and why a text is not a
//! cursor ([`CursorError`]).
//!
//! The text form is URL-safe base64 (no padding) of `tag.id` for the
//! creation order and `tag.key.id` for the keyed orders. Cursors are
//! opaque to clients but outlive a server's restart, so the format stays
//! as it is: a cursor given out before must still decode.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::StoreError;

/// The row orders a page can follow, as a cursor names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageOrder {
    /// Id ascending: creation order (`created`, and `age`, since ids are
    /// UUID v7 handed out in creation order).
    Id,
    /// Priority rank ascending, then id (oldest first).
    Rank,
    /// Last change descending, then id descending.
    UpdatedDesc,
    /// Due date ascending (none last), then id.
    Due,
}

impl PageOrder {
    /// The cursor tag, so a cursor is only accepted by the order it came from.
    fn tag(self) -> &'static str {
        match self {
            PageOrder::Id => "c",
            PageOrder::Rank => "p",
            PageOrder::UpdatedDesc => "u",
            PageOrder::Due => "d",
        }
    }

    /// Whether the order sorts by a key besides the id (the rank, or the
    /// last change in nanoseconds), which the cursor then carries.
    pub fn has_key(self) -> bool {
        self != PageOrder::Id
    }
}

/// Where a page starts: after this sort key (absent for [`PageOrder::Id`])
/// and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageCursor {
    pub key: Option<i64>,
    pub id: String,
}

/// Why a text is not a cursor of the order it was given to; every case is
/// [`StoreError::BadCursor`] to the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CursorError {
    #[error("the cursor is not URL-safe base64 of UTF-8 text")]
    NotText,
    #[error("the cursor belongs to another sort")]
    OtherOrder,
    #[error("the cursor's sort key is missing or not a number")]
    BadKey,
    #[error("the cursor's id is missing or not a UUID")]
    BadId,
}

impl From<CursorError> for StoreError {
    fn from(_: CursorError) -> Self {
        StoreError::BadCursor
    }
}

impl PageCursor {
    /// The cursor's text, for a page's `next_cursor`.
    pub fn encode(&self, order: PageOrder) -> String {
        let text = match self.key {
            Some(key) => format!("{}.{key}.{}", order.tag(), self.id),
            None => format!("{}.{}", order.tag(), self.id),
        };
        URL_SAFE_NO_PAD.encode(text)
    }

    /// Reads a cursor that [`PageCursor::encode`] made for `order`.
    pub fn decode(cursor: &str, order: PageOrder) -> Result<PageCursor, CursorError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(cursor)
            .map_err(|_| CursorError::NotText)?;
        let text = String::from_utf8(bytes).map_err(|_| CursorError::NotText)?;
        let mut parts = text.splitn(3, '.');
        if parts.next() != Some(order.tag()) {
            return Err(CursorError::OtherOrder);
        }
        let key = if order.has_key() {
            let key = parts.next().and_then(|key| key.parse::<i64>().ok());
            Some(key.ok_or(CursorError::BadKey)?)
        } else {
            None
        };
        let id = parts.next().ok_or(CursorError::BadId)?;
        // Ids are UUIDs; anything else was not made by `encode`.
        if uuid::Uuid::parse_str(id).is_err() || parts.next().is_some() {
            return Err(CursorError::BadId);
        }
        Ok(PageCursor {
            key,
            id: id.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "01900000-0000-7000-8000-000000000001";

    #[test]
    fn the_text_form_is_unchanged() {
        // Cursors given out before this module existed must still decode.
        let plain = PageCursor {
            key: None,
            id: ID.into(),
        };
        assert_eq!(
            URL_SAFE_NO_PAD.encode(format!("c.{ID}")),
            plain.encode(PageOrder::Id)
        );
        let keyed = PageCursor {
            key: Some(-42),
            id: ID.into(),
        };
        let text = URL_SAFE_NO_PAD.encode(format!("u.-42.{ID}"));
        assert_eq!(text, keyed.encode(PageOrder::UpdatedDesc));
        assert_eq!(PageCursor::decode(&text, PageOrder::UpdatedDesc), Ok(keyed));
    }

    #[test]
    fn every_order_reads_back_what_it_wrote() {
        for (order, key) in [
            (PageOrder::Id, None),
            (PageOrder::Rank, Some(3)),
            (PageOrder::UpdatedDesc, Some(1_700_000_000_000_000_000)),
        ] {
            let cursor = PageCursor { key, id: ID.into() };
            assert_eq!(PageCursor::decode(&cursor.encode(order), order), Ok(cursor));
        }
    }

    #[test]
    fn foreign_texts_are_typed_errors() {
        let rank = PageCursor {
            key: Some(1),
            id: ID.into(),
        }
        .encode(PageOrder::Rank);
        let cases = [
            ("not base64!", PageOrder::Id, CursorError::NotText),
            (rank.as_str(), PageOrder::Id, CursorError::OtherOrder),
            (
                &URL_SAFE_NO_PAD.encode(format!("p.x.{ID}")),
                PageOrder::Rank,
                CursorError::BadKey,
            ),
            (
                &URL_SAFE_NO_PAD.encode("c.not-a-uuid"),
                PageOrder::Id,
                CursorError::BadId,
            ),
            (
                &URL_SAFE_NO_PAD.encode(format!("c.{ID}.x")),
                PageOrder::Id,
                CursorError::BadId,
            ),
        ];
        for (text, order, error) in cases {
            assert_eq!(PageCursor::decode(text, order), Err(error), "{text}");
        }
    }
}
