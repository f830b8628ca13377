//! SMS and e-mail leave through an [`Outbox`]. The one built in keeps messages in the
//! database; a real SMS or mail gateway implements the same trait.
use std::sync::Arc;

use crate::{clock::now, error::AppResult, store::Store};

#[derive(Debug, Clone, Copy)]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    fn name(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
}

pub trait Outbox: Send + Sync {
    fn send(&self, channel: Channel, recipient: &str, body: &str) -> AppResult<()>;
}

pub struct StoreOutbox(pub Arc<Store>);

impl Outbox for StoreOutbox {
    fn send(&self, channel: Channel, recipient: &str, body: &str) -> AppResult<()> {
        self.0
            .insert_message(channel.name(), recipient, body, now())
    }
}
