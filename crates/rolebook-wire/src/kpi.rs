//! KPIs: the shared catalog, with formulas, benchmarks and the roles that
//! own each one.

use rolebook_core::Catalog;
use rolebook_core::model;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiSummary {
    pub id: String,
    pub name: String,
    pub category: String,
    pub unit: String,
    pub direction: String,
    /// How many roles own it.
    pub owners: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiList {
    pub total: usize,
    pub kpis: Vec<KpiSummary>,
}

impl KpiList {
    /// Every KPI of the catalog, sorted by id.
    pub fn of(catalog: &Catalog) -> Self {
        let kpis: Vec<KpiSummary> = catalog
            .kpis()
            .iter()
            .map(|k| KpiSummary {
                id: k.id.to_string(),
                name: k.name.clone(),
                category: k.category.clone(),
                unit: k.unit.clone(),
                direction: k.direction.label().to_string(),
                owners: catalog.roles_owning_kpi(&k.id).len(),
            })
            .collect();
        KpiList {
            total: kpis.len(),
            kpis,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
/// A published figure to compare a target with, and where it comes from.
pub struct Benchmark {
    pub value: String,
    pub meaning: String,
    pub source: String,
    pub year: u16,
}

impl From<&model::Benchmark> for Benchmark {
    fn from(b: &model::Benchmark) -> Self {
        Benchmark {
            value: b.value.clone(),
            meaning: b.meaning.clone(),
            source: b.source.clone(),
            year: b.year,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiOwner {
    pub role: String,
    pub title: String,
    pub target: String,
    pub why: String,
    /// `accountable` or `contributes`.
    pub accountability: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Kpi {
    pub id: String,
    pub name: String,
    pub category: String,
    pub definition: String,
    pub formula: String,
    pub unit: String,
    pub direction: String,
    pub cadence: String,
    pub data_sources: Vec<String>,
    pub pitfalls: Vec<String>,
    pub benchmarks: Vec<Benchmark>,
    pub owners: Vec<KpiOwner>,
}

impl Kpi {
    pub fn of(catalog: &Catalog, kpi: &model::Kpi) -> Self {
        Kpi {
            id: kpi.id.to_string(),
            name: kpi.name.clone(),
            category: kpi.category.clone(),
            definition: kpi.definition.clone(),
            formula: kpi.formula.clone(),
            unit: kpi.unit.clone(),
            direction: kpi.direction.label().to_string(),
            cadence: kpi.cadence.clone(),
            data_sources: kpi.data_sources.clone(),
            pitfalls: kpi.pitfalls.clone(),
            benchmarks: kpi.benchmarks.iter().map(Benchmark::from).collect(),
            owners: catalog
                .kpi_owners(&kpi.id)
                .into_iter()
                .map(|(role, own)| KpiOwner {
                    role: role.id.to_string(),
                    title: role.title.to_string(),
                    target: own.target.clone(),
                    why: own.why.clone(),
                    accountability: own.accountability.label().to_string(),
                })
                .collect(),
        }
    }
}
