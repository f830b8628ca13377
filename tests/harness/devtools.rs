//! The browser's own DevTools socket, for what chromedriver's passthrough
//! (`goog/cdp/execute`) cannot give: events. A WebSocket client of the few lines the
//! protocol needs here (RFC 6455: the upgrade, masked text frames out, frames in), rather
//! than a WebSocket crate and its fifteen dependencies for one test.
use std::path::Path;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::STEP_TIMEOUT;

pub(crate) struct DevTools {
    stream: TcpStream,
    last_id: u64,
}

impl DevTools {
    /// Connects to the browser whose profile is `profile` (Chromium writes its DevTools
    /// port and path into the profile's `DevToolsActivePort`).
    pub(crate) async fn open(profile: &Path) -> DevTools {
        let port_file = std::fs::read_to_string(profile.join("DevToolsActivePort"))
            .expect("Chromium writes DevToolsActivePort into its profile");
        let mut lines = port_file.lines();
        let (port, path) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""));
        let mut stream = TcpStream::connect(format!("127.0.0.1:{port}"))
            .await
            .expect("the DevTools port answers");
        // The key only proves to the server that the client speaks WebSocket; no secret.
        let upgrade = format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
             Sec-WebSocket-Version: 13\r\n\r\n"
        );
        stream
            .write_all(upgrade.as_bytes())
            .await
            .expect("the upgrade is sent");
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            let byte = stream.read_u8().await.expect("the upgrade's answer");
            head.push(byte);
        }
        let head = String::from_utf8_lossy(&head);
        assert!(
            head.starts_with("HTTP/1.1 101"),
            "DevTools refused the WebSocket: {head}"
        );
        DevTools { stream, last_id: 0 }
    }

    /// Sends a command (to a target's `session`, or the browser's); its id.
    pub(crate) async fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> u64 {
        self.last_id += 1;
        let mut message = json!({ "id": self.last_id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = session.into();
        }
        self.write_frame(message.to_string().as_bytes()).await;
        self.last_id
    }

    /// Sends a command and waits for its result, skipping events; fails on an error.
    pub(crate) async fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Value {
        let id = self.send(session, method, params).await;
        let deadline = tokio::time::Instant::now() + STEP_TIMEOUT;
        loop {
            let message = tokio::time::timeout_at(deadline, self.message())
                .await
                .unwrap_or_else(|_| panic!("DevTools did not answer {method}"));
            if message["id"] == id {
                assert!(
                    message["error"].is_null(),
                    "DevTools refused {method}: {message}"
                );
                return message["result"].clone();
            }
        }
    }

    /// The next answer or event.
    pub(crate) async fn message(&mut self) -> Value {
        let mut text = Vec::new();
        loop {
            let (fin, opcode, payload) = self.read_frame().await;
            match opcode {
                // Text, or the continuation of a fragmented one.
                0x1 | 0x0 => {
                    text.extend_from_slice(&payload);
                    if fin {
                        return serde_json::from_slice(&text).expect("DevTools speaks JSON");
                    }
                }
                0x8 => panic!("DevTools closed the socket"),
                _ => {} // ping, pong: the server needs no pong within a test's life
            }
        }
    }

    /// A client's frames are masked (RFC 6455 §5.3); the mask needs no secrecy here.
    async fn write_frame(&mut self, payload: &[u8]) {
        const MASK: [u8; 4] = [0x37, 0xfa, 0x21, 0x3d];
        let mut frame = vec![0x81]; // FIN, text
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n <= 0xffff => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        frame.extend_from_slice(&MASK);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ MASK[i % 4]));
        self.stream
            .write_all(&frame)
            .await
            .expect("DevTools takes the command");
    }

    /// One frame from the server (never masked): FIN, opcode, payload.
    async fn read_frame(&mut self) -> (bool, u8, Vec<u8>) {
        let mut head = [0u8; 2];
        self.stream
            .read_exact(&mut head)
            .await
            .expect("the DevTools socket is open");
        let length = match head[1] & 0x7f {
            126 => u64::from(self.stream.read_u16().await.expect("a length")),
            127 => self.stream.read_u64().await.expect("a length"),
            n => u64::from(n),
        };
        let mut payload = vec![0u8; usize::try_from(length).expect("a frame that fits")];
        self.stream
            .read_exact(&mut payload)
            .await
            .expect("the frame's payload");
        (head[0] & 0x80 != 0, head[0] & 0x0f, payload)
    }

    pub(crate) async fn close(mut self) {
        let _ = self.stream.shutdown().await;
    }
}
