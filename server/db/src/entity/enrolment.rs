use sea_orm::entity::prelude::*;

/// A registration's seat (or place on the waiting list) in a session. `id` is the
/// arrival order.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "enrolments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub session_id: i32,
    pub registration_id: i32,
    /// confirmed | waitlisted | cancelled
    pub seat: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}
no_relations!();

use domain::waiting_list::Seat;

/// The stored name of a seat.
pub fn seat_name(seat: Seat) -> &'static str {
    match seat {
        Seat::Confirmed => "confirmed",
        Seat::Waitlisted => "waitlisted",
        Seat::Cancelled => "cancelled",
    }
}

/// The seat a stored name means.
pub fn parse_seat(s: &str) -> Option<Seat> {
    [Seat::Confirmed, Seat::Waitlisted, Seat::Cancelled]
        .into_iter()
        .find(|seat| seat_name(*seat) == s)
}

impl Model {
    /// Its seat. A value no migration wrote reads as cancelled, which holds nothing.
    pub fn state(&self) -> Seat {
        parse_seat(&self.seat).unwrap_or(Seat::Cancelled)
    }
}
