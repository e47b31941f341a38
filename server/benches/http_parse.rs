//! Head-parsing and chunked-decoding throughput, to notice when a change to
//! `http::parse` or `http::body` makes every request slower. Run with
//! `cargo bench -p rapport-server --bench http_parse`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rapport_server::http::{ChunkedDecoder, Limits, parse_head};

/// A request head like the ones the terminal client sends.
const TYPICAL: &[u8] =
    b"PATCH /api/v1/customers/0192f1a2-7c3e-7b41-9a5e-1c2d3e4f5a6b?fields=name HTTP/1.1\r\n\
Host: rapport.example.com:8080\r\n\
Authorization: Bearer 4f3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a\r\n\
Content-Type: application/json\r\n\
Accept: application/json, application/problem+json\r\n\
If-Match: \"7\"\r\n\
User-Agent: rapport/0.1.0\r\n\
Content-Length: 42\r\n\r\n";

fn bench_heads(c: &mut Criterion) {
    let limits = Limits::default();
    let many: String = (0..60)
        .map(|i| format!("X-Header-{i}: value number {i}\r\n"))
        .collect();
    let many = format!("GET /api/v1/rfcs HTTP/1.1\r\nHost: h\r\n{many}\r\n").into_bytes();
    let mut group = c.benchmark_group("parse_head");
    for (name, bytes) in [("typical", TYPICAL), ("60 headers", many.as_slice())] {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| parse_head(black_box(bytes), &limits).expect("valid head"))
        });
    }
    group.finish();
}

fn bench_chunked(c: &mut Criterion) {
    let mut body = Vec::new();
    for _ in 0..64 {
        body.extend_from_slice(b"400\r\n");
        body.extend_from_slice(&[b'x'; 0x400]);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"0\r\n\r\n");
    let mut group = c.benchmark_group("chunked");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("64 KiB in 1 KiB chunks", |b| {
        b.iter(|| {
            let mut decoder = ChunkedDecoder::new(1 << 20);
            decoder.decode(black_box(&body)).expect("valid body")
        })
    });
    group.finish();
}

criterion_group!(benches, bench_heads, bench_chunked);
criterion_main!(benches);
