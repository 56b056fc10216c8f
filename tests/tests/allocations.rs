//! `validate()` on a valid request allocates nothing: paths live on the stack and strings are
//! only built for broken rules. Counted with a global allocator wrapper in this test binary.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: delegates every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn validating_a_valid_request_allocates_nothing() {
    let request: intercom::CreateMessageRequest =
        serde_json::from_value(workspace_tests::seed_request_json()).unwrap();
    let thing = keywords_client::Thing::from_json(
        r#"{"kind":"gadget","version":"v1","name":"ab","count":5,"code":"ABC-1","tags":["a"],
            "labels":{"x":"y"},"email":"a@b.co","at":"2024-01-01T00:00:00Z","parts":[{"label":"p"}]}"#,
    )
    .unwrap();
    // Warm up: the pattern's `LazyLock` compiles the regex on first use, once per process.
    thing.validate().unwrap();

    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..1000 {
        request.validate().unwrap();
    }
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert_eq!(after - before, 0, "validate() allocated on the happy path");

    // Every keyword but `pattern` (regress may allocate its match state) checks without
    // allocating, nested items and maps included.
    let mut no_pattern = thing.clone();
    no_pattern.code = None;
    no_pattern.kind = keywords_client::Kind::Widget;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    no_pattern.validate().unwrap();
    assert_eq!(
        ALLOCATIONS.load(Ordering::Relaxed) - before,
        0,
        "keyword checks allocated"
    );

    let invalid: intercom::CreateMessageRequest = {
        let mut json = workspace_tests::seed_request_json();
        json["body"] = serde_json::json!("");
        serde_json::from_value(json).unwrap()
    };
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    assert!(invalid.validate().is_err());
    assert!(
        ALLOCATIONS.load(Ordering::Relaxed) > before,
        "the counter works: a report allocates"
    );
}
