# Load a backstop run with the arrow package: the per-path dataset, the bands and the
# provenance stored in the Parquet footer; print per-policy means; plot the median basis by
# policy. Needs arrow, ggplot2 and yaml. Columns are described in docs/outputs.md.
#
#   Rscript examples/load_arrow.R [RUN_DIR] [OUT_PNG]   # outputs/baseline, basis_median.png

library(arrow)
library(ggplot2)

args <- commandArgs(trailingOnly = TRUE)
run <- if (length(args) >= 1) args[[1]] else "outputs/baseline"
out <- if (length(args) >= 2) args[[2]] else "basis_median.png"

# paths/ is one dataset: open_dataset() spans every part-NNNNN.parquet and
# as_arrow_table() reads them all into one table (with dplyr loaded, collect() does the
# same). policy and series come back as factors: policy's levels are the run's policies
# in run order, series' the five series in the order of docs/outputs.md.
paths <- as.data.frame(as_arrow_table(open_dataset(file.path(run, "paths"))))
bands_tbl <- read_parquet(file.path(run, "bands.parquet"), as_data_frame = FALSE)
bands <- as.data.frame(bands_tbl)

# Provenance: every Parquet file carries it as footer key-value metadata.
meta <- bands_tbl$metadata
config <- yaml::yaml.load(meta[["backstop.config"]])

cat(sprintf("%s: %s paths, seed %s, backstop %s, created %s, schema v%s\n",
            config$scenario, meta[["backstop.paths"]], meta[["backstop.seed"]],
            meta[["backstop.version"]], meta[["backstop.created"]],
            meta[["backstop.schema_version"]]))
cat(sprintf("%d rows x %d columns; policies %s\n\n", nrow(paths), ncol(paths),
            paste(levels(paths$policy), collapse = ", ")))

by_policy <- aggregate(cbind(peak_basis_bp, forced_sales_bn, funds_defaulted) ~ policy,
                       data = paths, FUN = mean)
p95 <- aggregate(peak_basis_bp ~ policy, data = paths, FUN = quantile, probs = 0.95)
by_policy$peak_basis_p95 <- p95$peak_basis_bp
by_policy <- by_policy[c("policy", "peak_basis_bp", "peak_basis_p95", "forced_sales_bn", "funds_defaulted")]
print(by_policy, digits = 4, row.names = FALSE)

# Median basis over the horizon with its 25-75% band, each policy in the color and with
# the legend label of backstop's own figures (Okabe-Ito colors; policy_styles.csv, beside
# this script, lists all six policies), and the dysfunction threshold from the config.
script <- sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE))
here <- if (length(script) == 1) dirname(script) else "examples"
styles <- read.csv(file.path(here, "policy_styles.csv"), stringsAsFactors = FALSE)
colors <- setNames(styles$color, styles$policy)
labels <- setNames(styles$label, styles$policy)
basis <- bands[bands$series == "basis_bp", ]
p <- ggplot(basis, aes(day, p50, colour = policy, fill = policy)) +
  geom_ribbon(aes(ymin = p25, ymax = p75), alpha = 0.2, colour = NA) +
  geom_line() +
  geom_hline(yintercept = config$market$b_dys, linetype = "dashed", colour = "grey50") +
  scale_colour_manual(values = colors, labels = function(b) unname(labels[b]),
                      aesthetics = c("colour", "fill")) +
  labs(x = "day", y = "basis (bp)", colour = NULL, fill = NULL,
       title = sprintf("Median basis, 25-75%% band (%s, %s paths)",
                       config$scenario, meta[["backstop.paths"]]),
       caption = sprintf("dashed: dysfunction threshold b_dys = %g bp", config$market$b_dys)) +
  theme_minimal(base_size = 9)
ggsave(out, p, width = 5, height = 3.2, dpi = 300)
cat(sprintf("\nwrote %s\n", out))
