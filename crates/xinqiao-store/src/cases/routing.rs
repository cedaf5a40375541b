//! Which bureau handles a case: routing by region code (own, city, province), many regions per query.

use crate::Result;
use sqlx::AnyConnection;

/// The codes a region is routed by, most specific first: its own, its city's, its province's.
fn route_codes(region: &str) -> [String; 3] {
    [region.to_owned(), format!("{}00", &region[..4]), format!("{}0000", &region[..2])]
}

/// Regions per query of [`routes`] (three codes each).
const ROUTE_REGIONS: usize = 300;

/// The bureau that handles each region: the one with exactly that code, else the nearest one
/// above it (city, then province), else none (the case waits in the central inbox). The most
/// specific code is the largest of the three, and a code names at most one bureau
/// (`orgs.region_code` is unique). One query for many regions (an import's batch names dozens:
/// one round trip to the database instead of one per region).
pub(super) async fn routes<'r>(
    conn: &mut AnyConnection,
    regions: &[&'r str],
) -> Result<std::collections::HashMap<&'r str, Option<String>>> {
    use sqlx::Row;
    let backend = crate::Backend::of(conn);
    let mut out = std::collections::HashMap::with_capacity(regions.len());
    for chunk in regions.chunks(ROUTE_REGIONS) {
        let codes: Vec<[String; 3]> = chunk.iter().map(|r| route_codes(r)).collect();
        let sql = format!(
            "SELECT id, region_code FROM orgs WHERE region_code IN ({})",
            crate::in_list(backend, codes.len() * 3)
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for code in codes.iter().flatten() {
            q = q.bind(code.as_str());
        }
        let found: std::collections::HashMap<String, String> = q
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|row| Ok((row.try_get("region_code")?, row.try_get("id")?)))
            .collect::<Result<_>>()?;
        for (region, codes) in chunk.iter().zip(&codes) {
            out.insert(*region, codes.iter().find_map(|c| found.get(c).cloned()));
        }
    }
    Ok(out)
}
