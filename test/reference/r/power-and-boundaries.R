# Reference values for conversion sample sizes and group-sequential boundaries, from R's pwr and rpact.
#
# Regenerate from the repository root:  Rscript test/reference/r/power-and-boundaries.R
# Writes test/reference/r/power-and-boundaries.json (deterministic: no random numbers).
# Needs the Debian packages r-base-core, r-cran-pwr and r-cran-rpact.
#
# sample_size: per-arm n for a two-sided test of p2 = p1 (1 + mde) against p1, every treatment
#   against control, Bonferroni over the k - 1 comparisons (alpha / (k - 1)):
#   - rpact getSampleSizeRates(normalApproximation = TRUE): pooled variance under H0 for the critical
#     value, unpooled under H1 (nFixed / 2);
#   - pwr.2p.test on Cohen's h (arcsine);
#   - the unpooled formula (z_{1-a/2} + z_{power})^2 (p1 q1 + p2 q2) / (p2 - p1)^2.
# group_sequential: rpact getDesignGroupSequential(sided = 2) critical values and cumulative alpha
#   spent for typeOfDesign "asOF" and "asP". rpact reports Inf for a look that spends less than
#   about 1e-11 (its alpha spent there is 1 - pnorm rounding, 6.7e-16 at t = 0.001); those entries are null.
suppressMessages({
  library(pwr)
  library(rpact)
})

# A small JSON writer (numbers with 17 significant digits, NULL as null), to need no other package.
to_json <- function(x, indent = "") {
  inner <- paste0(indent, "  ")
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x))) {
      items <- mapply(function(k, v) paste0(inner, "\"", k, "\": ", to_json(v, inner)), names(x), x)
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
    }
    return(paste0("[", paste(vapply(x, to_json, "", inner), collapse = ", "), "]"))
  }
  if (is.character(x)) return(if (length(x) == 1) paste0("\"", x, "\"") else to_json(as.list(x), indent))
  vals <- ifelse(is.finite(x), sprintf("%.17g", x), "null")
  if (length(x) == 1) vals else paste0("[", paste(vals, collapse = ", "), "]")
}

sizes <- list()
for (p in c(0.01, 0.05, 0.2, 0.5)) for (mde in c(0.01, 0.05, 0.1, 0.3)) for (power in c(0.8, 0.9))
  for (alpha in c(0.05, 0.01)) for (arms in 2:4) {
    p2 <- p * (1 + mde)
    a <- alpha / (arms - 1)
    sizes[[length(sizes) + 1]] <- list(
      baseline = p, mde = mde, power = power, alpha = alpha, arms = arms,
      rpact = getSampleSizeRates(pi1 = p2, pi2 = p, alpha = a, sided = 2, beta = 1 - power)$nFixed / 2,
      pwr = pwr.2p.test(h = ES.h(p2, p), power = power, sig.level = a)$n,
      unpooled = (qnorm(1 - a / 2) + qnorm(power))^2 * (p * (1 - p) + p2 * (1 - p2)) / (p2 - p)^2
    )
  }

designs <- list(
  list(type = "asOF", times = c(0.2, 0.4, 0.6, 0.8, 1), alpha = 0.05),
  list(type = "asP", times = c(0.2, 0.4, 0.6, 0.8, 1), alpha = 0.05),
  list(type = "asOF", times = c(1 / 3, 2 / 3, 1), alpha = 0.05),
  list(type = "asOF", times = c(0.3, 0.7, 1), alpha = 0.01),
  list(type = "asP", times = c(0.5, 1), alpha = 0.1),
  list(type = "asOF", times = c(0.01, 0.5, 1), alpha = 0.05),
  list(type = "asOF", times = c(0.001, 0.5, 1), alpha = 0.05),
  list(type = "asOF", times = c(0.05, 0.1, 0.55, 1), alpha = 0.05),
  list(type = "asP", times = c(0.001, 0.3, 1), alpha = 0.05),
  list(type = "asOF", times = c(0.5, 0.51, 1), alpha = 0.05)
)
boundaries <- lapply(designs, function(d) {
  g <- getDesignGroupSequential(sided = 2, alpha = d$alpha, typeOfDesign = d$type, informationRates = d$times)
  crit <- g$criticalValues
  list(
    spending = if (d$type == "asOF") "obrien_fleming" else "pocock",
    times = as.list(d$times), alpha = d$alpha,
    bounds = as.list(crit),
    alpha_spent = as.list(g$alphaSpent)
  )
})

out <- list(
  `_generated_by` = "Rscript test/reference/r/power-and-boundaries.R",
  `_versions` = list(R = R.version.string, pwr = as.character(packageVersion("pwr")), rpact = as.character(packageVersion("rpact"))),
  sample_size = sizes,
  group_sequential = boundaries
)
writeLines(to_json(out), "test/reference/r/power-and-boundaries.json")
cat(length(sizes), "sample sizes,", length(boundaries), "designs\n")
