//! Seats and the waiting list of a capacity-limited session: first come, first served, with
//! automatic promotion when a seat frees.
//!
//! The database keeps each enrolment with its arrival order; this module decides, from the
//! session's current enrolments, what a sign-up, a cancellation or a change of capacity does.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    Confirmed,
    Waitlisted,
    Cancelled,
}

/// One registration's enrolment in one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub registration: i64,
    /// arrival order: smaller came first
    pub arrival: i64,
    pub seat: Seat,
}

/// What a change did, for the database to store and the people concerned to be told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// the seat of the registration that asked (for a sign-up)
    pub seat: Option<Seat>,
    /// registrations moved from the waiting list to a confirmed seat, in arrival order
    pub promoted: Vec<i64>,
}

/// Why a change cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RosterError {
    #[error("You are already signed up for this session.")]
    AlreadyEnrolled,
    #[error("You are not signed up for this session.")]
    NotEnrolled,
}

/// How many hold a seat and how many wait in one session (cancelled enrolments aside): all a
/// sign-up needs to know, so that a full session's thousand rows need not be read for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub capacity: Option<u32>,
    pub confirmed: usize,
    pub waitlisted: usize,
}

impl Tally {
    /// The seat a newcomer gets. Nobody may jump the queue: a seat goes to a newcomer only
    /// when no one is waiting and one is free.
    pub fn newcomer(&self) -> Seat {
        let free = self.capacity.is_none_or(|c| (c as usize) > self.confirmed);
        if self.waitlisted == 0 && free {
            Seat::Confirmed
        } else {
            Seat::Waitlisted
        }
    }

    /// The newcomer's place on the waiting list (1 is next), if they wait.
    pub fn newcomer_position(&self) -> Option<usize> {
        (self.newcomer() == Seat::Waitlisted).then_some(self.waitlisted + 1)
    }

    /// Take a newcomer in: their seat and place on the waiting list, counted, so that the next
    /// newcomer of the same turn comes after them.
    pub fn admit(&mut self) -> (Seat, Option<usize>) {
        let (seat, position) = (self.newcomer(), self.newcomer_position());
        match seat {
            Seat::Confirmed => self.confirmed += 1,
            _ => self.waitlisted += 1,
        }
        (seat, position)
    }
}

/// The enrolments of one session. `capacity: None` means unlimited.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roster {
    pub capacity: Option<u32>,
    pub enrolments: Vec<Enrolment>,
}

impl Roster {
    pub fn new(capacity: Option<u32>, enrolments: Vec<Enrolment>) -> Roster {
        Roster {
            capacity,
            enrolments,
        }
    }

    pub fn confirmed(&self) -> usize {
        self.count(Seat::Confirmed)
    }

    pub fn waitlisted(&self) -> usize {
        self.count(Seat::Waitlisted)
    }

    fn count(&self, seat: Seat) -> usize {
        self.enrolments.iter().filter(|e| e.seat == seat).count()
    }

    /// The counts of this roster.
    pub fn tally(&self) -> Tally {
        Tally {
            capacity: self.capacity,
            confirmed: self.confirmed(),
            waitlisted: self.waitlisted(),
        }
    }

    /// Seats still free (`None`: unlimited).
    pub fn seats_left(&self) -> Option<usize> {
        self.capacity
            .map(|c| (c as usize).saturating_sub(self.confirmed()))
    }

    fn active(&self, registration: i64) -> Option<usize> {
        self.enrolments
            .iter()
            .position(|e| e.registration == registration && e.seat != Seat::Cancelled)
    }

    /// Sign `registration` up, arriving as `arrival` (after everyone already enrolled).
    pub fn sign_up(&mut self, registration: i64, arrival: i64) -> Result<Outcome, RosterError> {
        if self.active(registration).is_some() {
            return Err(RosterError::AlreadyEnrolled);
        }
        let seat = self.tally().newcomer();
        self.enrolments.push(Enrolment {
            registration,
            arrival,
            seat,
        });
        Ok(Outcome {
            seat: Some(seat),
            promoted: vec![],
        })
    }

    /// Cancel `registration`'s enrolment; a freed seat goes to the first on the waiting list.
    pub fn cancel(&mut self, registration: i64) -> Result<Outcome, RosterError> {
        let i = self.active(registration).ok_or(RosterError::NotEnrolled)?;
        self.enrolments[i].seat = Seat::Cancelled;
        Ok(Outcome {
            seat: Some(Seat::Cancelled),
            promoted: self.promote(),
        })
    }

    /// Change the capacity. More seats promote from the waiting list; fewer seats never take a
    /// confirmed seat away (the organiser sees the session as over capacity instead).
    pub fn set_capacity(&mut self, capacity: Option<u32>) -> Outcome {
        self.capacity = capacity;
        Outcome {
            seat: None,
            promoted: self.promote(),
        }
    }

    fn promote(&mut self) -> Vec<i64> {
        let mut free = self.seats_left().unwrap_or(usize::MAX);
        let mut waiting: Vec<usize> = (0..self.enrolments.len())
            .filter(|&i| self.enrolments[i].seat == Seat::Waitlisted)
            .collect();
        waiting.sort_by_key(|&i| self.enrolments[i].arrival);
        let mut promoted = Vec::new();
        for i in waiting {
            if free == 0 {
                break;
            }
            self.enrolments[i].seat = Seat::Confirmed;
            promoted.push(self.enrolments[i].registration);
            free -= 1;
        }
        promoted
    }

    /// Position on the waiting list (1 = next to be promoted).
    pub fn waiting_position(&self, registration: i64) -> Option<usize> {
        let me = self
            .enrolments
            .iter()
            .find(|e| e.registration == registration && e.seat == Seat::Waitlisted)?;
        Some(
            self.enrolments
                .iter()
                .filter(|e| e.seat == Seat::Waitlisted && e.arrival <= me.arrival)
                .count(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_last_one_waits_and_is_promoted_when_someone_cancels() {
        let mut r = Roster::new(Some(3), vec![]);
        for (reg, arrival) in [(1, 1), (2, 2), (3, 3)] {
            assert_eq!(r.sign_up(reg, arrival).unwrap().seat, Some(Seat::Confirmed));
        }
        assert_eq!(r.sign_up(4, 4).unwrap().seat, Some(Seat::Waitlisted));
        assert_eq!(r.sign_up(5, 5).unwrap().seat, Some(Seat::Waitlisted));
        assert_eq!(r.waiting_position(5), Some(2));
        assert_eq!(r.seats_left(), Some(0));
        assert_eq!(r.cancel(2).unwrap().promoted, vec![4]);
        assert_eq!(r.waiting_position(5), Some(1));
        assert_eq!(r.sign_up(1, 6), Err(RosterError::AlreadyEnrolled));
        assert_eq!(r.cancel(9), Err(RosterError::NotEnrolled));
        // a cancelled registration may sign up again, at the back of the queue
        assert_eq!(r.sign_up(2, 7).unwrap().seat, Some(Seat::Waitlisted));
        assert_eq!(r.set_capacity(Some(5)).promoted, vec![5, 2]);
        assert_eq!(r.set_capacity(Some(1)).promoted, Vec::<i64>::new());
        assert_eq!(r.confirmed(), 5, "lowering capacity takes no seat away");
    }

    #[test]
    fn unlimited_sessions_never_wait() {
        let mut r = Roster::new(None, vec![]);
        for i in 0..500 {
            assert_eq!(r.sign_up(i, i).unwrap().seat, Some(Seat::Confirmed));
        }
        assert_eq!(r.seats_left(), None);
    }

    #[derive(Debug, Clone)]
    enum Op {
        SignUp(i64),
        Cancel(i64),
        Capacity(Option<u32>),
    }

    fn ops() -> impl Strategy<Value = Vec<Op>> {
        prop::collection::vec(
            prop_oneof![
                4 => (0..12i64).prop_map(Op::SignUp),
                2 => (0..12i64).prop_map(Op::Cancel),
                1 => prop::option::of(0..8u32).prop_map(Op::Capacity),
            ],
            0..60,
        )
    }

    proptest! {
        #[test]
        fn first_come_first_served_and_never_overbooked(cap in 0..6u32, ops in ops()) {
            let mut r = Roster::new(Some(cap), vec![]);
            let mut clock = 0;
            let mut max_cap = Some(cap);
            for op in ops {
                match op {
                    Op::SignUp(reg) => {
                        clock += 1;
                        // the counts alone (what the database reads for a sign-up) decide alike
                        let tally = r.tally();
                        if let Ok(o) = r.sign_up(reg, clock) {
                            prop_assert_eq!(o.seat, Some(tally.newcomer()));
                            prop_assert_eq!(r.waiting_position(reg), tally.newcomer_position());
                            // taking sign-ups in turn from one count (a batch) decides alike
                            let mut after = tally;
                            let (seat, position) = after.admit();
                            prop_assert_eq!((Some(seat), position), (o.seat, r.waiting_position(reg)));
                            prop_assert_eq!(after, r.tally());
                        }
                    }
                    Op::Cancel(reg) => { let _ = r.cancel(reg); }
                    Op::Capacity(c) => {
                        max_cap = match (max_cap, c) { (Some(a), Some(b)) => Some(a.max(b)), _ => None };
                        r.set_capacity(c);
                    }
                }
                let active: Vec<&Enrolment> = r.enrolments.iter().filter(|e| e.seat != Seat::Cancelled).collect();
                // one active enrolment per registration
                let mut regs: Vec<i64> = active.iter().map(|e| e.registration).collect();
                regs.sort_unstable();
                let n = regs.len();
                regs.dedup();
                prop_assert_eq!(regs.len(), n);
                // never more confirmed than the largest capacity the session has had
                if let Some(m) = max_cap { prop_assert!(r.confirmed() <= m as usize); }
                // nobody waits while a seat is free
                if r.waitlisted() > 0 { prop_assert_eq!(r.seats_left(), Some(0)); }
                // everyone waiting arrived after everyone confirmed
                let last_confirmed = active.iter().filter(|e| e.seat == Seat::Confirmed).map(|e| e.arrival).max();
                let first_waiting = active.iter().filter(|e| e.seat == Seat::Waitlisted).map(|e| e.arrival).min();
                if let (Some(c), Some(w)) = (last_confirmed, first_waiting) { prop_assert!(c < w); }
            }
        }
    }
}
