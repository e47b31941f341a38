//! The statement written out: as Markdown for a purchaser to read, and as
//! one CSV table whose `section` column says what a row is.

use super::*;

/// A markdown table cell: pipes escaped, no line breaks.
pub(super) fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

pub(super) fn program_name(program: &Option<String>) -> &str {
    program.as_deref().unwrap_or("unallocated")
}

/// The statement as markdown: headings and tables a purchaser can read.
pub fn markdown(s: &Statement) -> String {
    let mut out = String::new();
    let line = |out: &mut String, text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line(
        &mut out,
        format!(
            "# Statement for {} ({}), {}",
            cell(&s.customer_name),
            cell(&s.customer_code),
            s.period
        ),
    );
    line(&mut out, String::new());
    line(&mut out, format!("## Planned against charged, {}", s.year));
    line(&mut out, String::new());
    if s.budget.is_empty() {
        line(&mut out, format!("No budget and no charges in {}.", s.year));
    } else {
        line(
            &mut out,
            "| Service | Planned | Charged | Remaining | Year-end forecast |".into(),
        );
        line(&mut out, "|---|---:|---:|---:|---:|".into());
        for row in &s.budget {
            line(
                &mut out,
                format!(
                    "| {} | {} | {} | {} | {} |",
                    cell(&row.service),
                    money(row.planned_cents),
                    money(row.charged_cents),
                    money(row.remaining_cents),
                    money(row.forecast_cents),
                ),
            );
        }
        let sum = |f: fn(&BudgetRow) -> i64| s.budget.iter().map(f).sum::<i64>();
        line(
            &mut out,
            format!(
                "| **Total** | {} | {} | {} | {} |",
                money(sum(|r| r.planned_cents)),
                money(sum(|r| r.charged_cents)),
                money(sum(|r| r.remaining_cents)),
                money(sum(|r| r.forecast_cents)),
            ),
        );
    }
    line(&mut out, String::new());
    line(&mut out, format!("## Charges, {}", s.period));
    line(&mut out, String::new());
    if s.charges.is_empty() {
        line(&mut out, format!("No charges in {}.", s.period));
    } else {
        line(
            &mut out,
            "| Service | Month | Quantity | Unit price | Amount | Program |".into(),
        );
        line(&mut out, "|---|---|---:|---:|---:|---|".into());
        for row in &s.charges {
            line(
                &mut out,
                format!(
                    "| {} | {} | {} | {} | {} | {} |",
                    cell(&row.service),
                    row.month,
                    row.quantity,
                    money(row.unit_price_cents),
                    money(row.amount_cents),
                    cell(program_name(&row.program)),
                ),
            );
        }
        let total: i64 = s.charges.iter().map(|r| r.amount_cents).sum();
        line(
            &mut out,
            format!("| **Total** | | | | {} | |", money(total)),
        );
        line(&mut out, String::new());
        line(&mut out, format!("## Charged per program, {}", s.period));
        line(&mut out, String::new());
        line(&mut out, "| Program | Charged |".into());
        line(&mut out, "|---|---:|".into());
        for (program, charged) in &s.programs {
            line(
                &mut out,
                format!("| {} | {} |", cell(program_name(program)), money(*charged)),
            );
        }
    }
    line(&mut out, String::new());
    line(&mut out, format!("## Service levels, {}", s.period));
    line(&mut out, String::new());
    if s.levels.is_empty() {
        line(&mut out, "No agreement with service levels.".into());
    } else {
        line(
            &mut out,
            "| Agreement | Level | Target | Months met | Missed |".into(),
        );
        line(&mut out, "|---|---|---|---:|---|".into());
        for row in &s.levels {
            let met = if row.measured == 0 {
                "not measured".to_string()
            } else {
                format!("{} of {}", row.met, row.measured)
            };
            line(
                &mut out,
                format!(
                    "| {} | {} | {} | {} | {} |",
                    cell(&row.agreement),
                    cell(&row.metric),
                    cell(&row.target),
                    met,
                    if row.missed.is_empty() {
                        "-".to_string()
                    } else {
                        row.missed.join(", ")
                    },
                ),
            );
        }
    }
    out
}

/// Cents as a plain decimal for spreadsheets: `-1234.50`.
pub(super) fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// The statement as one CSV table: a `section` column says what each row
/// is (`budget`, `charge`, `program`, `service_level`); amounts are
/// decimals in the currency, not cents.
pub fn csv(s: &Statement) -> Result<String, CliError> {
    let failed = |error: csv::Error| CliError::Failed(format!("cannot write the CSV: {error}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "section",
            "customer",
            "period",
            "service",
            "month",
            "program",
            "quantity",
            "unit_price",
            "amount",
            "planned",
            "remaining",
            "forecast",
            "agreement",
            "level",
            "target",
            "months_measured",
            "months_met",
            "missed",
        ])
        .map_err(failed)?;
    let code = s.customer_code.as_str();
    let period = s.period.as_str();
    let year = s.year.to_string();
    for row in &s.budget {
        let (amount, planned, remaining, forecast) = (
            decimal(row.charged_cents),
            decimal(row.planned_cents),
            decimal(row.remaining_cents),
            decimal(row.forecast_cents),
        );
        writer
            .write_record([
                "budget",
                code,
                &year,
                &row.service,
                "",
                "",
                "",
                "",
                &amount,
                &planned,
                &remaining,
                &forecast,
                "",
                "",
                "",
                "",
                "",
                "",
            ])
            .map_err(failed)?;
    }
    for row in &s.charges {
        let (quantity, price, amount) = (
            row.quantity.to_string(),
            decimal(row.unit_price_cents),
            decimal(row.amount_cents),
        );
        writer
            .write_record([
                "charge",
                code,
                period,
                &row.service,
                &row.month,
                row.program.as_deref().unwrap_or(""),
                &quantity,
                &price,
                &amount,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ])
            .map_err(failed)?;
    }
    for (program, charged) in &s.programs {
        let amount = decimal(*charged);
        writer
            .write_record([
                "program",
                code,
                period,
                "",
                "",
                program_name(program),
                "",
                "",
                &amount,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ])
            .map_err(failed)?;
    }
    for row in &s.levels {
        let (measured, met, missed) = (
            row.measured.to_string(),
            row.met.to_string(),
            row.missed.join(" "),
        );
        writer
            .write_record([
                "service_level",
                code,
                period,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                &row.agreement,
                &row.metric,
                &row.target,
                &measured,
                &met,
                &missed,
            ])
            .map_err(failed)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| CliError::Failed(format!("cannot write the CSV: {error}")))?;
    crate::cli::csv_guarded(bytes)
}
