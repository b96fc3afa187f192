//! The widget's words: core's one table of every word a shopper reads
//! (`checkout_core::words`, shared with the hosted checkout page), and the
//! countdown. The widget links the table's widget sentences only; the page's
//! own stay in the worker.

#[cfg(test)]
pub use checkout_core::words::ENGLISH;
pub use checkout_core::words::{choose, find, Lang, Text};

/// Appends `mm:ss` (or `h:mm:ss`) for a countdown.
pub fn push_countdown(out: &mut String, seconds: i64) {
    let s = seconds.max(0) as u64;
    if s >= 3600 {
        checkout_core::push_decimal(out, s / 3600);
        out.push(':');
        push_two(out, s % 3600 / 60);
    } else {
        checkout_core::push_decimal(out, s / 60);
    }
    out.push(':');
    push_two(out, s % 60);
}

fn push_two(out: &mut String, n: u64) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdowns() {
        let text = |s| {
            let mut out = String::new();
            push_countdown(&mut out, s);
            out
        };
        assert_eq!(text(0), "0:00");
        assert_eq!(text(754), "12:34");
        assert_eq!(text(3600), "1:00:00");
        assert_eq!(text(3725), "1:02:05");
        assert_eq!(text(-5), "0:00");
    }
}
