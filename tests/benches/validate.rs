//! `validate()` of the seed's `CreateMessageRequest`, next to serialising it, the cost it is
//! added to before every send. Run with `cargo bench -p workspace-tests --bench validate`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn validate(c: &mut Criterion) {
    let request: intercom::CreateMessageRequest =
        serde_json::from_value(workspace_tests::seed_request_json()).unwrap();
    let mut group = c.benchmark_group("create_message_request");
    group.bench_function("validate", |b| {
        b.iter(|| black_box(&request).validate().is_ok())
    });
    group.bench_function("serialise", |b| {
        b.iter(|| serde_json::to_vec(black_box(&request)).unwrap())
    });
    group.bench_function("validate_and_serialise", |b| {
        b.iter(|| {
            black_box(&request).validate().unwrap();
            serde_json::to_vec(black_box(&request)).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, validate);
criterion_main!(benches);
