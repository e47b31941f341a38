//! The words of the connection state and the offline outbox.

/// Drawn before a row whose write is still queued in the outbox.
pub const PENDING_MARK: &str = "~ ";

/// The status bar's word while the change feed and requests get through.
pub const CONN_LIVE: &str = "live";
/// Trying again after the server was reached before.
pub const CONN_RECONNECTING: &str = "reconnecting";

/// How long ago `secs` seconds is, in words people read.
pub fn ago(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s} s ago"),
        s if s < 3600 => format!("{} min ago", s / 60),
        s => format!("{} h ago", s / 3600),
    }
}

/// The status bar's connection state while offline.
pub fn offline_since(since_contact: Option<u64>, retry_in: u64) -> String {
    match since_contact {
        Some(secs) => format!("offline · last contact {} · retry {retry_in}s", ago(secs)),
        None => format!("offline · never reached · retry {retry_in}s"),
    }
}

/// The status bar's outbox count.
pub fn outbox_badge(waiting: usize, refused: usize) -> String {
    match refused {
        0 => format!("outbox {waiting}"),
        r => format!("outbox {waiting} · {r} refused"),
    }
}

/// A write was queued instead of sent.
pub fn queued(label: &str, list_key: &str) -> String {
    format!("Queued {label}: sent when the server answers ({list_key}: the outbox)")
}

/// A queued write reached the server.
pub fn outbox_sent(label: &str, left: usize) -> String {
    match left {
        0 => format!("Sent {label}; the outbox is empty"),
        n => format!("Sent {label}; {n} still queued"),
    }
}

/// The server refused a queued write (kept in the outbox until cancelled).
pub fn outbox_refused(label: &str, why: &str) -> String {
    format!("The server refused {label}: {why} (kept in the outbox)")
}

/// Asked at start when writes were left queued for this server.
pub fn outbox_offer(count: usize, list_key: &str) -> String {
    let writes = if count == 1 {
        "write was"
    } else {
        "writes were"
    };
    format!(
        "{count} {writes} queued when rapport last ran against this server. \
         Send now? (no keeps them; {list_key} lists them to send or cancel)"
    )
}

/// The outbox list's title.
pub const OUTBOX_TITLE: &str = "Outbox: writes waiting for the server";
/// The outbox list when empty.
pub const OUTBOX_EMPTY: &str = "Nothing is queued.";

/// The outbox list's key line.
pub fn outbox_keys(cancel: &str, send: &str, discard: &str, open: &str, close: &str) -> String {
    format!(
        "{cancel} cancel · {send} send now · {discard} discard all · {open} open refused · {close} close"
    )
}

/// An entry was cancelled from the outbox.
pub fn outbox_cancelled(label: &str) -> String {
    format!("Cancelled {label}")
}

/// The outbox could not be kept on disk.
pub fn outbox_not_kept(error: &str) -> String {
    format!("The outbox could not be kept on disk: {error}")
}

/// What a queued write does, for the list and the status bar.
pub fn write_label(kind: &str, noun: &str, name: &str) -> String {
    if name.is_empty() {
        format!("{kind} {noun}")
    } else {
        format!("{kind} {noun} {name}")
    }
}
