//! Operations whose request body is `multipart/form-data` (issue 15): each gets a
//! `<operation>_multipart` method that sends a `runtime::Multipart` form, with the spec's
//! `encoding` content types as the defaults of its parts.

use super::context::Ctx;
use crate::ir::{BodyEncoding, MultipartBody, Operation};
use crate::load::{lookup, Node};

/// Finds the multipart bodies of `ops`, the operations of one group (or the client's own).
pub(super) fn detect(cx: &mut Ctx<'_>, ops: &mut [Operation]) {
    let names: Vec<String> = ops.iter().map(|op| op.name.clone()).collect();
    for op in ops.iter_mut() {
        let Some(body) = &op.body else { continue };
        let media_type = body.media_type.to_ascii_lowercase();
        if body.encoding != BodyEncoding::Bytes || !media_type.starts_with("multipart/form-data") {
            continue;
        }
        let root = cx.doc.file_root(op.origin.loc.file);
        let Some(node) = lookup(root, &op.origin.pointer).map(|n| cx.doc.referred(n)) else {
            continue;
        };
        let method = format!("{}_multipart", op.name);
        if names.contains(&method) {
            cx.warning(
                node,
                format!(
                    "operation `{}` takes a multipart body, but the method `{method}` would take the name of another operation",
                    op.operation_id
                ),
                "rename one of the operations (`operationId`); this one gets no multipart method",
            );
            continue;
        }
        let encoding = node
            .get("requestBody")
            .map(|body| cx.doc.referred(body))
            .and_then(|body| body.get("content"))
            .and_then(Node::entries)
            .and_then(|content| {
                content
                    .iter()
                    .find(|(media, _)| media.name == body.media_type)
                    .map(|(_, media)| media)
            })
            .and_then(|media| media.get("encoding"))
            .and_then(Node::entries)
            .map(|fields| {
                fields
                    .iter()
                    .filter_map(|(field, encoding)| {
                        let content_type = encoding.get("contentType")?.as_str()?;
                        // A list (`image/png, image/jpeg`) names the types allowed: the first
                        // is the default.
                        let first = content_type.split(',').next()?.trim();
                        (!first.is_empty()).then(|| (field.name.clone(), first.to_owned()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        op.multipart = Some(MultipartBody { method, encoding });
    }
}
