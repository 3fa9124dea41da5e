using System.Globalization;
using System.Net;
using System.Text;

namespace PartnerCenter.Core.Common;

/// <summary>One labelled value of a chart series.</summary>
public sealed record ChartPoint(string Label, decimal Value);

/// <summary>
/// Draws a bar chart (and optionally a line over it) as an inline SVG on the server: no script, no CDN, readable by
/// screen readers (role="img", a title and a description listing every value). Each bar carries its exact value in
/// <c>data-value</c>, so what is drawn can be checked against the table beside it. Only bars with a value are drawn;
/// every point keeps its axis label.
/// </summary>
public static class SvgChart
{
    const int Width = 720, Height = 260, Left = 90, Right = 16, Top = 16, Bottom = 48, Ticks = 4, MaxBarWidth = 56;

    public static string Render(string title, IReadOnlyList<ChartPoint> bars, Func<decimal, string> format, IReadOnlyList<ChartPoint>? line = null,
        string? lineName = null, string testId = "chart")
    {
        var values = bars.Select(b => b.Value).Concat(line?.Select(p => p.Value) ?? []).ToList();
        var (min, max) = (Math.Min(0, values.DefaultIfEmpty().Min()), Math.Max(0, values.DefaultIfEmpty().Max()));
        if (min == max) max = min + 1;
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        var slot = bars.Count == 0 ? plotWidth : (double)plotWidth / bars.Count;
        double Y(decimal v) => Top + (double)((max - v) / (max - min)) * plotHeight;
        double X(int i) => Left + slot * i + slot / 2;

        var description = string.Join("; ", bars.Select(b => $"{b.Label}: {format(b.Value)}")) +
                          (line is null ? "" : $". {lineName}: " + string.Join("; ", line.Select(p => $"{p.Label}: {format(p.Value)}")));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{testId}-title {testId}-desc\" data-testid=\"{testId}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{testId}-title\">{E(title)}</title><desc id=\"{testId}-desc\">{E(description)}</desc>");
        for (var t = 0; t <= Ticks; t++)
        {
            var v = min + (max - min) * t / Ticks;
            var y = Y(v);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"chart-grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#e3e6ea\" />");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-tick\" x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"11\" fill=\"#5f6b7a\">{E(format(Money.Round2(v)))}</text>");
        }
        var zero = Y(0);
        var barWidth = Math.Clamp(slot * 0.6, 2, MaxBarWidth);
        var maxLabel = Math.Max(4, (int)(slot / 7)); // about 7 px a character at 11 px
        for (var i = 0; i < bars.Count; i++)
        {
            var b = bars[i];
            var x = X(i);
            if (b.Value != 0)
            {
                var y = Y(b.Value);
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"chart-bar\" data-testid=\"chart-bar\" data-label=\"{E(b.Label)}\" data-value=\"{Value(b.Value)}\" x=\"{x - barWidth / 2:0.#}\" y=\"{Math.Min(y, zero):0.#}\" width=\"{barWidth:0.#}\" height=\"{Math.Max(1, Math.Abs(zero - y)):0.#}\" fill=\"#2f6fde\"><title>{E(b.Label)}: {E(format(b.Value))}</title></rect>");
            }
            var label = b.Label.Length > maxLabel ? b.Label[..(maxLabel - 1)] + "…" : b.Label;
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"chart-label\" x=\"{x:0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#3b4552\">{E(label)}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{zero:0.#}\" y2=\"{zero:0.#}\" stroke=\"#8a94a1\" />");
        if (line is { Count: > 0 })
        {
            var points = string.Join(" ", line.Select((p, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i):0.#},{Y(p.Value):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline class=\"chart-line\" points=\"{points}\" fill=\"none\" stroke=\"#e07a1f\" stroke-width=\"2\" />");
            for (var i = 0; i < line.Count; i++)
                svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"chart-point\" data-testid=\"chart-point\" data-label=\"{E(line[i].Label)}\" data-value=\"{Value(line[i].Value)}\" cx=\"{X(i):0.#}\" cy=\"{Y(line[i].Value):0.#}\" r=\"3\" fill=\"#e07a1f\"><title>{E(lineName ?? "")} {E(line[i].Label)}: {E(format(line[i].Value))}</title></circle>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The exact value as written in data-value (invariant, no trailing zeros past the cents).</summary>
    public static string Value(decimal value) => value.ToString("0.00######", CultureInfo.InvariantCulture);

    static string E(string text) => WebUtility.HtmlEncode(text);
}
