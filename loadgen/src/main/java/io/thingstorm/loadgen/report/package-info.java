/**
 * The report of a run: {@link io.thingstorm.loadgen.report.RunReport} (figures, and {@code value(key)}
 * for thresholds), written by {@link io.thingstorm.loadgen.report.ReportWriter} as summary.txt,
 * report.json and report.html beside the recorder's interval logs; read back by {@link
 * io.thingstorm.loadgen.report.ReportReader} and merged across shards by {@link
 * io.thingstorm.loadgen.report.ReportMerge}.
 *
 * <pre>{@code
 * RunReport report = RunReport.of(new RunFacts(name, scenarioText, shard, Machine.current(provider),
 *     connectPhase, publishPhase, subscribed, thresholdTexts, List.of()), recorder.finish());
 * report = report.withVerdicts(judge.judge(report.thresholds(), report));
 * ReportWriter.write(report, outDir);
 * System.out.print(TextSummary.render(report));
 * }</pre>
 */
package io.thingstorm.loadgen.report;
