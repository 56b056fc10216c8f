//! Bodies: the request body (its media type, encoding and type) and the responses, which give
//! an operation its success `Output` (an enum by status when they differ), its declared errors
//! and the media type it asks for.

use super::Operations;
use crate::ir::{
    BodyEncoding, EventData, EventEnum, EventVariant, Output, RequestBody, Response, StatusBody,
    StatusEnum, StatusVariant, TypeRef, Usage,
};
use crate::load::Node;
use crate::naming;
use crate::resolve::context::{escape_segment, Ctx};
use crate::resolve::schema::Schemas;
use std::collections::BTreeSet;

pub(super) fn request_body(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    body: &Node,
    pointer: &str,
    hint: &str,
) -> Option<RequestBody> {
    let (body, pointer) = cx.deref(body, pointer)?;
    let required = cx.flag(body, "required");
    let (media_type, schema) = content(cx, body)?;
    let encoding = match classify(&media_type) {
        Media::Json => BodyEncoding::Json,
        Media::Form => BodyEncoding::Form,
        Media::Text | Media::Events | Media::Other => BodyEncoding::Bytes,
    };
    let ty = match (encoding, schema) {
        (BodyEncoding::Bytes, _) => TypeRef::Any,
        (_, None) => {
            cx.warning(
                body,
                format!("the `{media_type}` request body has no `schema`; it is sent as a `serde_json::Value`"),
                "add a `schema` to the media type",
            );
            TypeRef::Any
        }
        (_, Some(schema)) => {
            let shape = schemas.shape(
                cx,
                schema,
                &format!("{pointer}/content/{}/schema", escape_segment(&media_type)),
                &format!("{hint}Request"),
            )?;
            shape.ty.unwrap_or(TypeRef::Any).or_null(shape.nullable)
        }
    };
    let form = match schema {
        Some(schema)
            if media_type
                .to_ascii_lowercase()
                .starts_with("multipart/form-data") =>
        {
            crate::resolve::multipart::form(
                cx,
                schemas,
                schema,
                &format!("{pointer}/content/{}/schema", escape_segment(&media_type)),
                hint,
            )
        }
        _ => None,
    };
    Some(RequestBody {
        media_type,
        encoding,
        ty,
        required,
        form,
    })
}

/// What kind of body a media type is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Media {
    Json,
    Form,
    Text,
    /// `text/event-stream`: server-sent events.
    Events,
    Other,
}

fn classify(media_type: &str) -> Media {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json" || essence.ends_with("+json") || essence == "*/*" {
        Media::Json
    } else if essence == "application/x-www-form-urlencoded" {
        Media::Form
    } else if essence == "text/event-stream" {
        Media::Events
    } else if essence.starts_with("text/") {
        Media::Text
    } else {
        Media::Other
    }
}

/// The preferred media type of a `content` map (JSON first, then form, then the first listed)
/// and its schema.
fn content<'n>(cx: &mut Ctx<'_>, holder: &'n Node) -> Option<(String, Option<&'n Node>)> {
    let content = holder.get("content")?;
    let entries = cx.map(content, "`content`")?.entries().unwrap_or_default();
    let rank = |key: &str| match classify(key) {
        Media::Json => 0,
        Media::Form => 1,
        Media::Text | Media::Events => 2,
        Media::Other => 3,
    };
    let (key, media) = entries.iter().min_by_key(|(k, _)| rank(&k.name))?;
    Some((key.name.clone(), media.get("schema")))
}

type Responses = (Response, Output, Vec<Response>, String);

pub(super) fn responses(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    out: &mut Operations,
    op: &Node,
    pointer: &str,
    hint: &str,
) -> Option<Responses> {
    let Some(responses) = op.get("responses") else {
        // OpenAPI 3.1 makes `responses` optional; nothing is known about the answer.
        cx.warning(
            op,
            "the operation has no `responses`; its answer is kept as JSON",
            "declare at least the successful response",
        );
        let any = Response {
            status: 200,
            docs: None,
            ty: Some(TypeRef::Any),
        };
        return Some((
            any,
            Output::Json(TypeRef::Any),
            Vec::new(),
            "application/json".to_owned(),
        ));
    };
    let entries = cx
        .map(responses, "`responses`")?
        .entries()
        .unwrap_or_default();
    // Several success statuses with bodies: each inline body is named after its status
    // (`StartJobAccepted`), leaving `<Operation>Response` to the enum of them.
    let bodies_by_status = entries
        .iter()
        .filter(|(key, response)| key.name.starts_with('2') && response.get("content").is_some())
        .count();
    let mut successes: Vec<(Response, Option<Media>)> = Vec::new();
    let mut events: Option<EventData> = None;
    let mut default: Option<Response> = None;
    let mut errors = Vec::new();
    let mut accept: Option<String> = None;
    for (key, response) in entries {
        let response_pointer = format!("{pointer}/responses/{}", escape_segment(&key.name));
        let Some((response, response_pointer)) = cx.deref(response, &response_pointer) else {
            continue;
        };
        let status = match key.name.as_str() {
            "default" => None,
            s => {
                match s.parse::<u16>() {
                    Ok(code) if (100..600).contains(&code) => Some(code),
                    // `2XX`-style ranges: counted as their first code.
                    _ if range_start(s).is_some() => range_start(s),
                    _ => {
                        let at = Node {
                            loc: key.loc,
                            value: crate::load::Value::Null,
                        };
                        cx.warning(
                        &at,
                        format!("the response key `{s}` is not a status code; the response is ignored"),
                        "use a status code, a range like `2XX`, or `default`",
                    );
                        continue;
                    }
                }
            }
        };
        let body = content(cx, response);
        let media = body.as_ref().map(|(media_type, _)| classify(media_type));
        let ty = match &body {
            Some((media_type, schema)) if classify(media_type) == Media::Json => {
                let schema_pointer = format!(
                    "{response_pointer}/content/{}/schema",
                    escape_segment(media_type)
                );
                match schema {
                    Some(schema) => {
                        let name = match status {
                            Some(code) if bodies_by_status > 1 && (200..300).contains(&code) => {
                                format!("{hint}{}", status_name(code))
                            }
                            _ => format!("{hint}Response"),
                        };
                        let shape = schemas.shape(cx, schema, &schema_pointer, &name)?;
                        Some(shape.ty.unwrap_or(TypeRef::Any).or_null(shape.nullable))
                    }
                    None => {
                        cx.warning(
                            response,
                            format!("the `{media_type}` response has no `schema`; its body is kept as `serde_json::Value`"),
                            "add a `schema` to the media type",
                        );
                        Some(TypeRef::Any)
                    }
                }
            }
            _ => None,
        };
        let is_success = status.is_some_and(|code| (200..300).contains(&code));
        if let (true, None, Some((media_type, schema))) = (is_success, &events, &body) {
            if classify(media_type) == Media::Events {
                let media_pointer =
                    format!("{response_pointer}/content/{}", escape_segment(media_type));
                let media = response.get("content").and_then(|c| c.get(media_type));
                events = Some(event_data(
                    cx,
                    schemas,
                    out,
                    (media, *schema),
                    &media_pointer,
                    hint,
                ));
            }
        }
        let docs = cx
            .opt_str(response, "description")
            .map(|d| d.trim().to_owned());
        if let Some(ty) = &ty {
            out.uses.push((
                ty.clone(),
                Usage {
                    request: false,
                    response: true,
                },
            ));
        }
        let declared = Response {
            status: status.unwrap_or(0),
            docs,
            ty,
        };
        match status {
            Some(code) if (200..300).contains(&code) => {
                if let (None, Some((media_type, _))) = (&accept, &body) {
                    accept = Some(media_type.clone());
                }
                successes.push((declared, media));
            }
            Some(_) => {
                if let Some(ty) = &declared.ty {
                    out.error_types.push((ty.clone(), response.loc));
                }
                errors.push(declared);
            }
            None => {
                if let Some(ty) = &declared.ty {
                    out.error_types.push((ty.clone(), response.loc));
                }
                default = Some(declared);
            }
        }
    }
    if successes.is_empty() {
        match default {
            // Only `default`: it describes the success too.
            Some(response) => successes.push((response, None)),
            None => {
                cx.warning(
                    responses,
                    "the operation declares no successful (2xx) response; its body is kept as JSON",
                    "add e.g. `\"200\":` with the response body",
                );
                successes.push((
                    Response {
                        status: 200,
                        docs: None,
                        ty: Some(TypeRef::Any),
                    },
                    Some(Media::Json),
                ));
            }
        }
    }
    let output = output(cx, schemas, responses, &successes, events, hint);
    let accept = accept.unwrap_or_else(|| "application/json".to_owned());
    let first = successes.swap_remove(0).0;
    Some((first, output, errors, accept))
}

/// The first code of a status range key (`2XX` -> 200).
fn range_start(key: &str) -> Option<u16> {
    let rest = key.get(1..)?;
    if !rest.eq_ignore_ascii_case("xx") {
        return None;
    }
    let digit = key.get(..1)?.parse::<u16>().ok()?;
    (1..=5).contains(&digit).then_some(digit * 100)
}

/// What the successful responses amount to: one JSON type (or none), text or bytes; or, when
/// statuses differ in kind or type, an enum with a variant per status.
fn output(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    at: &Node,
    successes: &[(Response, Option<Media>)],
    events: Option<EventData>,
    hint: &str,
) -> Output {
    let mut json: Option<&TypeRef> = None;
    let mut empty = false;
    let mut raw: Option<Media> = None;
    let mut mixed = false;
    for (response, media) in successes {
        match (media, &response.ty) {
            (None, _) => empty = true,
            (Some(Media::Json), Some(ty)) => match json {
                Some(seen) if seen != ty => mixed = true,
                _ => json = Some(ty),
            },
            (Some(media), _) => {
                mixed |= raw.is_some_and(|r| r != *media);
                raw = Some(*media);
            }
        }
    }
    if mixed || (json.is_some() && raw.is_some()) {
        return by_status(cx, schemas, at, successes, hint);
    }
    match (json, raw) {
        (Some(ty), None) if empty => Output::JsonOrEmpty(ty.clone()),
        (Some(ty), _) => Output::Json(ty.clone()),
        (None, Some(Media::Text)) => Output::Text,
        (None, Some(Media::Events)) => Output::Events(events.unwrap_or(EventData::Text)),
        (None, Some(_)) => Output::Bytes,
        (None, None) => Output::Empty,
    }
}

/// The data of an operation's server-sent events: the type of each event name in the media
/// type's `x-events` map, else the `schema` (text when it has none or it is a string).
fn event_data(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    out: &mut Operations,
    (media, schema): (Option<&Node>, Option<&Node>),
    pointer: &str,
    hint: &str,
) -> EventData {
    let mut shape = |cx: &mut Ctx<'_>, schemas: &mut Schemas, node, pointer: &str, name: &str| {
        let shape = schemas.shape(cx, node, pointer, name)?;
        let ty = shape.ty.unwrap_or(TypeRef::Any).or_null(shape.nullable);
        out.uses.push((
            ty.clone(),
            Usage {
                request: false,
                response: true,
            },
        ));
        Some(ty)
    };
    if let Some(named) = media.and_then(|m| m.get("x-events")) {
        if let Some(entries) = cx.map(named, "`x-events`").and_then(|n| n.entries()) {
            let mut taken = BTreeSet::from(["Other".to_owned()]);
            let mut variants = Vec::new();
            for (key, node) in entries {
                let camel = naming::camel(&key.name);
                let camel = if camel.is_empty() {
                    "Event".to_owned()
                } else {
                    camel
                };
                let at = format!("{pointer}/x-events/{}", escape_segment(&key.name));
                let Some(ty) = shape(cx, schemas, node, &at, &format!("{hint}{camel}Event")) else {
                    continue;
                };
                variants.push(EventVariant {
                    event: key.name.clone(),
                    name: naming::unique(camel, &mut taken),
                    ty,
                });
            }
            return EventData::Named(EventEnum {
                name: schemas.new_type(&format!("{hint}Event")),
                variants,
            });
        }
    }
    let Some(schema) = schema else {
        return EventData::Text;
    };
    match shape(
        cx,
        schemas,
        schema,
        &format!("{pointer}/schema"),
        &format!("{hint}Event"),
    ) {
        Some(TypeRef::String) | None => EventData::Text,
        Some(ty) => EventData::Json(ty),
    }
}

/// An enum of the success responses, one variant per status.
fn by_status(
    cx: &mut Ctx<'_>,
    schemas: &mut Schemas,
    at: &Node,
    successes: &[(Response, Option<Media>)],
    hint: &str,
) -> Output {
    let mut taken = BTreeSet::new();
    let mut variants: Vec<StatusVariant> = Vec::new();
    for (response, media) in successes {
        if variants.iter().any(|v| v.status == response.status) {
            // `200` and `2XX` both: the exact code wins.
            cx.warning(
                at,
                format!(
                    "two success responses both count as status {}; the first is used",
                    response.status
                ),
                "declare each status once",
            );
            continue;
        }
        let body = match (media, &response.ty) {
            (Some(Media::Json), Some(ty)) => StatusBody::Json(ty.clone()),
            (Some(Media::Text), _) => StatusBody::Text,
            (Some(Media::Events), _) => {
                cx.warning(
                    at,
                    format!(
                        "the event stream of status {} is read whole, as text: the operation's success statuses carry bodies of different kinds, so its answer is an enum of them",
                        response.status
                    ),
                    "give the operation one success status for its event stream",
                );
                StatusBody::Text
            }
            (None, _) => StatusBody::Empty,
            (Some(_), _) => StatusBody::Bytes,
        };
        variants.push(StatusVariant {
            status: response.status,
            name: naming::unique(status_name(response.status), &mut taken),
            docs: response.docs.clone().filter(|d| !d.is_empty()),
            body,
        });
    }
    Output::ByStatus(StatusEnum {
        name: schemas.new_type(&format!("{hint}Response")),
        variants,
    })
}

/// The variant name of a success status: its reason phrase, or `Status<code>`.
fn status_name(status: u16) -> String {
    match status {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritative",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        207 => "MultiStatus",
        _ => return format!("Status{status}"),
    }
    .to_owned()
}
