//! Who gets a connection: at most [`Limits::max_connections`] at once and
//! [`Limits::max_connections_per_client`] per client address, and when the
//! server is full the connection idle the longest (kept alive between
//! requests with nothing pending) is closed to admit the new one, so idle
//! keep-alive connections can never lock new clients out and one client
//! cannot take the server.
//!
//! Each admitted connection holds a [`Ticket`]; it says when it is idle
//! ([`Ticket::idle`]) and busy again ([`Ticket::busy`]), and waits on
//! [`Ticket::evicted`] while idle.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use tokio::sync::Notify;

use super::Limits;

/// The admission state shared by the listener and every connection.
#[derive(Debug)]
pub struct Admission {
    state: Mutex<State>,
    per_client: usize,
}

#[derive(Debug, Default)]
struct State {
    next_id: u64,
    /// Open connections per client address.
    by_client: HashMap<IpAddr, usize>,
    /// Idle connections, longest idle first.
    idle: BTreeMap<(Instant, u64), Idle>,
    /// When each idle connection became idle (its key in `idle`).
    idle_since: HashMap<u64, Instant>,
}

#[derive(Debug)]
struct Idle {
    client: IpAddr,
    evict: Arc<Notify>,
}

/// Why a connection was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyFromClient;

impl Admission {
    pub fn new(limits: &Limits) -> Arc<Admission> {
        Arc::new(Admission {
            state: Mutex::new(State::default()),
            per_client: limits.max_connections_per_client.max(1),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves counts that are still
        // usable; the server must keep admitting.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Admits a connection from `client`. At the client's own cap its
    /// longest-idle connection is closed to make room; with none idle the
    /// connection is refused.
    pub fn admit(self: &Arc<Self>, client: IpAddr) -> Result<Ticket, TooManyFromClient> {
        let mut state = self.lock();
        let open = state.by_client.get(&client).copied().unwrap_or(0);
        if open >= self.per_client && !state.evict_where(|idle| idle.client == client) {
            return Err(TooManyFromClient);
        }
        *state.by_client.entry(client).or_insert(0) += 1;
        state.next_id += 1;
        Ok(Ticket {
            id: state.next_id,
            client,
            evict: Arc::new(Notify::new()),
            admission: Arc::clone(self),
        })
    }

    /// Closes the connection idle the longest, if any is idle.
    pub fn evict_longest_idle(&self) -> bool {
        self.lock().evict_where(|_| true)
    }

    /// How many connections are idle now.
    #[cfg(test)]
    pub fn idle_count(&self) -> usize {
        self.lock().idle.len()
    }
}

impl State {
    /// Tells the longest-idle connection matching `which` to close (it is
    /// no longer counted idle); false when none matches.
    fn evict_where(&mut self, which: impl Fn(&Idle) -> bool) -> bool {
        let Some(key) = self
            .idle
            .iter()
            .find(|(_, idle)| which(idle))
            .map(|(key, _)| *key)
        else {
            return false;
        };
        if let Some(idle) = self.idle.remove(&key) {
            self.idle_since.remove(&key.1);
            idle.evict.notify_one();
        }
        true
    }

    fn forget_idle(&mut self, id: u64) {
        if let Some(since) = self.idle_since.remove(&id) {
            self.idle.remove(&(since, id));
        }
    }
}

/// One admitted connection's place.
#[derive(Debug)]
pub struct Ticket {
    id: u64,
    client: IpAddr,
    evict: Arc<Notify>,
    admission: Arc<Admission>,
}

impl Ticket {
    /// The connection waits for a request with nothing pending: it may be
    /// closed to admit another.
    pub fn idle(&self) {
        let mut state = self.admission.lock();
        if state.idle_since.contains_key(&self.id) {
            return;
        }
        let now = Instant::now();
        state.idle_since.insert(self.id, now);
        state.idle.insert(
            (now, self.id),
            Idle {
                client: self.client,
                evict: Arc::clone(&self.evict),
            },
        );
    }

    /// The connection is busy with a request again.
    pub fn busy(&self) {
        self.admission.lock().forget_idle(self.id);
    }

    /// Completes when the connection is to close for another's sake.
    pub async fn evicted(&self) {
        self.evict.notified().await;
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        let mut state = self.admission.lock();
        state.forget_idle(self.id);
        if let Some(open) = state.by_client.get_mut(&self.client) {
            *open = open.saturating_sub(1);
            if *open == 0 {
                state.by_client.remove(&self.client);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admission(per_client: usize) -> Arc<Admission> {
        Admission::new(&Limits {
            max_connections_per_client: per_client,
            ..Limits::default()
        })
    }

    #[tokio::test]
    async fn the_longest_idle_connection_is_evicted_first() {
        let admission = admission(10);
        let ip: IpAddr = [127, 0, 0, 1].into();
        let first = admission.admit(ip).expect("admitted");
        let second = admission.admit(ip).expect("admitted");
        first.idle();
        second.idle();
        assert_eq!(admission.idle_count(), 2);
        assert!(admission.evict_longest_idle());
        // The first to go idle is told; the notice waits for it.
        tokio::time::timeout(std::time::Duration::from_secs(1), first.evicted())
            .await
            .expect("the first is evicted");
        assert_eq!(admission.idle_count(), 1);
        second.busy();
        assert!(
            !admission.evict_longest_idle(),
            "a busy connection is never evicted"
        );
    }

    #[tokio::test]
    async fn a_client_at_its_cap_makes_room_from_its_own_idle_ones_or_is_refused() {
        let admission = admission(2);
        let one: IpAddr = [10, 0, 0, 1].into();
        let other: IpAddr = [10, 0, 0, 2].into();
        let a = admission.admit(one).expect("admitted");
        let b = admission.admit(one).expect("admitted");
        let theirs = admission.admit(other).expect("another client is admitted");
        theirs.idle();
        assert_eq!(admission.admit(one).err(), Some(TooManyFromClient));
        b.idle();
        let c = admission
            .admit(one)
            .expect("room made from its own idle one");
        tokio::time::timeout(std::time::Duration::from_secs(1), b.evicted())
            .await
            .expect("its idle one is evicted");
        assert_eq!(
            admission.idle_count(),
            1,
            "the other client's idle one stays"
        );
        drop((a, b, c));
        assert!(admission.admit(one).is_ok());
    }
}
