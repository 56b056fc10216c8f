//! How parameters are written: the OpenAPI styles (`style` + `explode`) the client
//! implements. Defined once, here: the generator's IR holds these same types, and generated
//! code passes them to [`Call::query_styled`](crate::Call::query_styled) and
//! [`Call::path_param_styled`](crate::Call::path_param_styled). This module needs none of the
//! runtime's dependencies, so the generator depends on the runtime without its `client`
//! feature.

/// How a path parameter is written into the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathStyle {
    /// `simple` (the default): `5`, `3,4,5`, `role,admin` or, exploded, `role=admin`.
    Simple {
        /// OpenAPI `explode`.
        explode: bool,
    },
    /// `label`: `.5`, `.3,4,5` or, exploded, `.3.4.5`; objects `.role,admin` or `.role=admin`.
    Label {
        /// OpenAPI `explode`.
        explode: bool,
    },
    /// `matrix`: `;id=5`, `;id=3,4,5` or, exploded, `;id=3;id=4;id=5`; objects
    /// `;id=role,admin` or, exploded, `;role=admin`.
    Matrix {
        /// OpenAPI `explode`.
        explode: bool,
    },
}

/// How a query parameter's lists and objects are written (OpenAPI `style` and `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// `a=1&a=2` when exploded, `a=1,2` when not; objects as `k=v` pairs or `a=k,v`.
    Form {
        /// OpenAPI `explode`.
        explode: bool,
    },
    /// `a=1 2`.
    SpaceDelimited,
    /// `a=1|2`.
    PipeDelimited,
    /// `a[k]=v`.
    DeepObject,
}
