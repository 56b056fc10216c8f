//! Server-sent events (`text/event-stream`): the decoders of an event's data that generated
//! clients pass to [`EventStream::open`](crate::EventStream::open), and the parser of the
//! format as the HTML standard defines it (§9.2.6): lines end with CRLF, LF or CR; `data:`
//! lines accumulate; a blank line dispatches the event; `:` starts a comment; `id:` and
//! `retry:` persist for the rest of the stream.

use serde::de::DeserializeOwned;
use std::collections::VecDeque;
use std::time::Duration;

/// An event's data as JSON of type `T`, whatever the event's name.
pub fn json<T: DeserializeOwned>(
    _event: Option<&str>,
    data: &str,
) -> Result<T, (Option<String>, String)> {
    crate::validate::decode_response(data.as_bytes())
}

/// An event's data as text, whatever the event's name.
pub fn text(_event: Option<&str>, data: &str) -> Result<String, (Option<String>, String)> {
    Ok(data.to_owned())
}

/// An event as the stream delivered it, before its data is decoded.
#[derive(Debug, PartialEq)]
pub(crate) struct RawEvent {
    pub(crate) event: Option<String>,
    pub(crate) data: String,
    pub(crate) id: Option<String>,
}

/// The event-stream parser: fed chunks as they arrive, whatever their boundaries (a line, a
/// CRLF or a UTF-8 character may be split between two).
#[derive(Debug, Default)]
pub(crate) struct Parser {
    /// The line being read.
    line: Vec<u8>,
    /// The last chunk ended with CR: an LF that starts the next one ends no line.
    after_cr: bool,
    /// Whether the stream's first line was read (a byte-order mark starting it is skipped).
    started: bool,
    data: String,
    has_data: bool,
    event: Option<String>,
    /// The last `id:` read; it becomes `last_id` when its event is dispatched.
    id_buffer: Option<String>,
    /// The id of the last event dispatched: what a reconnection sends.
    last_id: Option<String>,
    retry: Option<Duration>,
}

impl Parser {
    /// Parses `bytes`, adding the events they complete to `out`. `Err` when the event being
    /// read has grown past `limit` bytes.
    pub(crate) fn feed(
        &mut self,
        mut bytes: &[u8],
        out: &mut VecDeque<RawEvent>,
        limit: u64,
    ) -> Result<(), ()> {
        while !bytes.is_empty() {
            if self.after_cr {
                self.after_cr = false;
                if bytes[0] == b'\n' {
                    bytes = &bytes[1..];
                    continue;
                }
            }
            match bytes.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(end) => {
                    self.line.extend_from_slice(&bytes[..end]);
                    self.after_cr = bytes[end] == b'\r';
                    bytes = &bytes[end + 1..];
                    self.end_line(out);
                }
                None => {
                    self.line.extend_from_slice(bytes);
                    bytes = &[];
                }
            }
            let held = self.line.len() + self.data.len();
            if u64::try_from(held).unwrap_or(u64::MAX) > limit {
                return Err(());
            }
        }
        Ok(())
    }

    /// The last event id the server sent.
    pub(crate) fn last_id(&self) -> Option<&str> {
        self.last_id.as_deref().filter(|id| !id.is_empty())
    }

    /// How long the server asked a client to wait before reconnecting (`retry:`).
    pub(crate) fn retry(&self) -> Option<Duration> {
        self.retry
    }

    /// Forgets the event being read (its connection broke), its id too; the last dispatched
    /// event's id and the retry stay.
    pub(crate) fn discard_partial(&mut self) {
        self.id_buffer.clone_from(&self.last_id);
        self.line.clear();
        self.after_cr = false;
        self.data.clear();
        self.has_data = false;
        self.event = None;
    }

    fn end_line(&mut self, out: &mut VecDeque<RawEvent>) {
        let line = std::mem::take(&mut self.line);
        let line = String::from_utf8_lossy(&line);
        let line = match self.started {
            true => line.as_ref(),
            false => {
                self.started = true;
                line.strip_prefix('\u{FEFF}').unwrap_or(&line)
            }
        };
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.id_buffer = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(ms) = value.parse::<u64>() {
                    self.retry = Some(Duration::from_millis(ms));
                }
            }
            _ => {}
        }
    }

    fn dispatch(&mut self, out: &mut VecDeque<RawEvent>) {
        self.last_id.clone_from(&self.id_buffer);
        let event = self.event.take();
        if !self.has_data {
            return;
        }
        self.has_data = false;
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        out.push_back(RawEvent {
            event,
            data,
            id: self.last_id().map(str::to_owned),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(chunks: &[&[u8]]) -> Vec<RawEvent> {
        let mut parser = Parser::default();
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.feed(chunk, &mut out, 1 << 20).unwrap();
        }
        out.into()
    }

    fn event(event: Option<&str>, data: &str, id: Option<&str>) -> RawEvent {
        RawEvent {
            event: event.map(str::to_owned),
            data: data.to_owned(),
            id: id.map(str::to_owned),
        }
    }

    #[test]
    fn data_lines_join_and_a_blank_line_dispatches() {
        let events = parse(&[b"data: one\ndata:two\n\nevent: tick\ndata: {\"n\":1}\nid: 7\n\n"]);
        assert_eq!(
            events,
            [
                event(None, "one\ntwo", None),
                event(Some("tick"), "{\"n\":1}", Some("7"))
            ]
        );
    }

    #[test]
    fn any_line_ending_and_any_chunk_boundary() {
        let whole: &[u8] = b"\xEF\xBB\xBFdata: a\r\n\r\ndata: b\r\rdata: \xC3\xA9\n\n: comment\n\n";
        let expected = [
            event(None, "a", None),
            event(None, "b", None),
            event(None, "\u{e9}", None),
        ];
        assert_eq!(parse(&[whole]), expected);
        // Split at every byte: a CRLF, the BOM and the two bytes of `é` all cut in two.
        let bytes: Vec<&[u8]> = whole.chunks(1).collect();
        assert_eq!(parse(&bytes), expected);
    }

    #[test]
    fn events_without_data_and_unknown_fields_are_skipped_and_ids_persist() {
        let events =
            parse(&[b"event: ping\n\nid: 3\nfoo: bar\ndata\n\ndata: x\n\nid\ndata: y\n\n"]);
        assert_eq!(
            events,
            [
                event(None, "", Some("3")),
                event(None, "x", Some("3")),
                event(None, "y", None)
            ]
        );
    }

    #[test]
    fn the_last_id_is_the_last_dispatched_events() {
        let mut parser = Parser::default();
        let mut out = VecDeque::new();
        parser
            .feed(b"id: 1\ndata: a\n\nid: 2\ndata: cut", &mut out, 1 << 20)
            .unwrap();
        assert_eq!(parser.last_id(), Some("1"));
        parser.discard_partial();
        parser.feed(b"data: b\n\n", &mut out, 1 << 20).unwrap();
        assert_eq!(
            Vec::from(out),
            [event(None, "a", Some("1")), event(None, "b", Some("1"))]
        );
    }

    #[test]
    fn retry_is_read_and_an_unfinished_event_is_not_dispatched() {
        let mut parser = Parser::default();
        let mut out = VecDeque::new();
        parser
            .feed(b"retry: 250\nretry: soon\ndata: cut", &mut out, 1 << 20)
            .unwrap();
        assert!(out.is_empty());
        assert_eq!(parser.retry(), Some(Duration::from_millis(250)));
        parser.discard_partial();
        parser.feed(b"data: whole\n\n", &mut out, 1 << 20).unwrap();
        assert_eq!(Vec::from(out), [event(None, "whole", None)]);
    }

    #[test]
    fn an_event_larger_than_the_limit_is_refused() {
        let mut parser = Parser::default();
        let mut out = VecDeque::new();
        assert!(parser.feed(b"data: 12345\n\n", &mut out, 16).is_ok());
        assert!(parser
            .feed(b"data: 0123456789abcdef", &mut out, 16)
            .is_err());
    }
}
