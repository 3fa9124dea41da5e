using System.Globalization;
using PartnerCenter.Core.Common;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace PartnerCenter.Core.Exports;

/// <summary>
/// The PDF exports, drawn with PDFsharp on A4 pages: a title, the document's header figures, then its lines as a table
/// that continues on new pages. Amounts are the API's, shown to the cent with the project's one rounding rule.
/// </summary>
public static class PdfExport
{
    const double Margin = 42, LineHeight = 14;

    public static byte[] PartnerBill(PartnerBillExport b)
    {
        var pdf = new Writer($"Partner bill {b.Cycle}");
        pdf.Title($"Partner bill {b.Cycle}");
        pdf.Pairs(
        [
            ("Invoice number", b.InvoiceNumber), ("Partner", $"{b.PartnerName} ({b.PartnerId})"), ("Bill cycle", b.Cycle),
            ("Bill date", Day(b.CreatedAt)), ("Due date", Day(b.DueAt)), ("Currency", PartnerBillExport.Currency),
            ("Consumption", Amount(b.ConsumeAmount)), ("Refunds", Amount(b.Refunds)), ("Adjustments", Amount(b.Adjustments)),
            ("Bill amount", Amount(b.InitialAmountDue)),
            ($"Tax ({(b.TaxRate * 100).ToString("0.####", CultureInfo.InvariantCulture)}%, not in the amount due)", Amount(b.TaxAmount)),
            ("Deducted from the balance", Amount(b.Deducted)), ("Paid", Amount(b.Paid)), ("Amount due", Amount(b.AmountDue)),
        ]);
        pdf.Table(["Customer", "Customer ID", "Kind", "Movements", "Amount"], [0, 110, 290, 370, 420], [false, false, false, true, true],
            b.Lines.Select(l => new[] { l.CustomerName, l.CustomerId ?? "-", l.Kind, l.Movements.ToString(CultureInfo.InvariantCulture), Amount(l.Amount) }));
        return pdf.Save();
    }

    public static byte[] Statement(CustomerStatementExport s)
    {
        var pdf = new Writer($"Monthly statement {s.Cycle}");
        pdf.Title($"Monthly statement {s.Cycle}");
        pdf.Pairs(
        [
            ("Customer", $"{s.CustomerName} ({s.CustomerId})"), ("Bill cycle", s.Cycle), ("Currency", CustomerStatementExport.Currency),
            ("Consumption", Amount(s.ConsumeAmount)), ("Paid in cash", Amount(s.CashAmount)), ("Paid on credit", Amount(s.CreditAmount)),
            ("In arrears", Amount(s.DebtAmount)),
        ]);
        string[] head = s.ShowSettlement ? ["Service", "Resource type", "Kind", "List price", "Amount", "Settlement"] : ["Service", "Resource type", "Kind", "List price", "Discount", "Amount"];
        pdf.Table(head, [0, 110, 220, 285, 360, 435], [false, false, false, true, true, true], s.Lines.Select(l => new[]
        {
            l.ServiceTypeName, l.ResourceTypeName, l.BillType == 2 ? "refund" : "consumption", Amount(l.Official),
            s.ShowSettlement ? Amount(l.Amount) : Amount(l.Discount), s.ShowSettlement ? Amount(l.Settlement) : Amount(l.Amount),
        }));
        return pdf.Save();
    }

    /// <summary>
    /// An enterprise organization's month for its master: the header figures, then each account (the master, then its
    /// members, largest spend first) with its monthly-sum lines and its spend, and the organization's total last.
    /// </summary>
    public static byte[] OrganizationInvoice(OrganizationInvoiceExport x)
    {
        var pdf = new Writer($"Organization invoice {x.Cycle}");
        pdf.Title($"Organization invoice {x.Cycle}");
        pdf.Pairs(
        [
            ("Invoice reference", x.Reference), ("Master account", $"{x.MasterName} ({x.MasterId})"), ("Bill cycle", x.Cycle),
            ("Currency", OrganizationInvoiceExport.Currency), ("Accounts", x.Accounts.Count.ToString(CultureInfo.InvariantCulture)),
            ("Paid by the master for members", Amount(x.Accounts.Sum(a => a.PaidByMaster))), ("Organization total", Amount(x.Total)),
        ]);
        foreach (var a in x.Accounts)
        {
            pdf.Pairs([($"{a.Name} - {a.Role}", a.AccountId), ("Account total", Amount(a.Consume))]);
            pdf.Table(["Service", "Resource type", "Kind", "List price", "Discount", "Amount"], [0, 110, 220, 285, 360, 435], [false, false, false, true, true, true],
                a.Lines.Select(l => new[] { l.ServiceTypeName, l.ResourceTypeName, l.BillType == 2 ? "refund" : "consumption", Amount(l.Official), Amount(l.Discount), Amount(l.Amount) }));
            pdf.Gap();
        }
        pdf.Pairs([("Organization total", Amount(x.Total))]);
        return pdf.Save();
    }

    /// <summary>An amount as the console shows it: two decimals (Money.Round2), invariant culture, thousands separated.</summary>
    public static string Amount(decimal amount) => Money.Round2(amount).ToString("#,0.00", CultureInfo.InvariantCulture);

    internal static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Draws text top-down on A4 pages, adding a page when the next line would not fit.</summary>
    internal sealed class Writer
    {
        // Labels and figures use WinAnsi, whose text stays readable in the file (and to tests); names may be any script.
        static readonly XFont Regular = Font(10, XFontStyleEx.Regular, PdfFontEncoding.WinAnsi);
        static readonly XFont Bold = Font(10, XFontStyleEx.Bold, PdfFontEncoding.WinAnsi);
        static readonly XFont Heading = Font(16, XFontStyleEx.Bold, PdfFontEncoding.WinAnsi);
        static readonly XFont Names = Font(10, XFontStyleEx.Regular, PdfFontEncoding.Unicode);
        // Tables are set smaller so that a 32-character id fits its column.
        static readonly XFont Cell = Font(8, XFontStyleEx.Regular, PdfFontEncoding.WinAnsi);
        static readonly XFont CellBold = Font(8, XFontStyleEx.Bold, PdfFontEncoding.WinAnsi);
        static readonly XFont CellNames = Font(8, XFontStyleEx.Regular, PdfFontEncoding.Unicode);

        readonly PdfDocument document = new();
        XGraphics graphics = null!;
        double y, width, bottom;

        public Writer(string title)
        {
            document.Info.Title = title;
            document.Info.Creator = "Partner Center";
            NewPage();
        }

        void NewPage()
        {
            graphics?.Dispose();
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            graphics = XGraphics.FromPdfPage(page);
            (y, width, bottom) = (Margin, page.Width.Point - 2 * Margin, page.Height.Point - Margin);
        }

        void Fit(double height)
        {
            if (y + height > bottom) NewPage();
        }

        public void Title(string text)
        {
            graphics.DrawString(text, Heading, XBrushes.Black, new XRect(Margin, y, width, 20), XStringFormats.TopLeft);
            y += 30;
        }

        public void Pairs(IEnumerable<(string Label, string Value)> pairs)
        {
            foreach (var (label, value) in pairs)
            {
                Fit(LineHeight);
                graphics.DrawString(label, Regular, XBrushes.Black, new XRect(Margin, y, 230, LineHeight), XStringFormats.TopLeft);
                graphics.DrawString(value, Pick(value, Bold), XBrushes.Black, new XRect(Margin + 240, y, width - 240, LineHeight), XStringFormats.TopLeft);
                y += LineHeight;
            }
            y += LineHeight;
        }

        /// <summary>A blank line between two tables.</summary>
        public void Gap() => y += LineHeight;

        /// <param name="at">Each column's left edge (from the margin); the last column ends at the right margin.</param>
        /// <param name="right">Which columns are right-aligned (figures).</param>
        public void Table(string[] head, double[] at, bool[] right, IEnumerable<string[]> rows)
        {
            Row(head, at, right, CellBold);
            graphics.DrawLine(XPens.Gray, Margin, y, Margin + width, y);
            y += 3;
            var any = false;
            foreach (var row in rows)
            {
                any = true;
                if (y + LineHeight > bottom)
                {
                    NewPage();
                    Row(head, at, right, CellBold);
                }
                Row(row, at, right, Cell);
            }
            if (!any) Row(["No lines."], [0], [false], Cell);
        }

        void Row(string[] cells, double[] at, bool[] right, XFont font)
        {
            Fit(LineHeight);
            for (var i = 0; i < cells.Length; i++)
            {
                var end = i + 1 < at.Length ? at[i + 1] - 6 : width;
                var box = new XRect(Margin + at[i], y, end - at[i], LineHeight);
                graphics.DrawString(Clip(cells[i], font, box.Width), Pick(cells[i], font), XBrushes.Black, box, right[i] ? XStringFormats.TopRight : XStringFormats.TopLeft);
            }
            y += LineHeight;
        }

        /// <summary>Text beyond Latin-1 (a name in another script) is drawn with the Unicode-encoded font.</summary>
        static XFont Pick(string text, XFont font) => text.All(c => c < 256) ? font : font.Size < 10 ? CellNames : Names;

        string Clip(string text, XFont font, double room)
        {
            if (graphics.MeasureString(text, Pick(text, font)).Width <= room) return text;
            while (text.Length > 1 && graphics.MeasureString(text + "...", Pick(text, font)).Width > room) text = text[..^1];
            return text + "...";
        }

        public byte[] Save()
        {
            graphics.Dispose();
            using var buffer = new MemoryStream();
            document.Save(buffer, false);
            return buffer.ToArray();
        }

        static XFont Font(double size, XFontStyleEx style, PdfFontEncoding encoding)
        {
            EmbeddedFont.Install();
            return new XFont(EmbeddedFont.Family, size, style, new XPdfFontOptions(encoding));
        }
    }
}

/// <summary>
/// The one font of the PDFs, DejaVu Sans, embedded in this assembly (its licence is beside it): PDFsharp finds no system
/// fonts on Linux, and a font shipped with the code draws the same on every machine. Bold is simulated.
/// </summary>
sealed class EmbeddedFont : IFontResolver
{
    public const string Family = "DejaVu Sans";
    static readonly EmbeddedFont Instance = new();
    static readonly Lock Gate = new();
    static readonly Lazy<byte[]> Bytes = new(() =>
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream("PartnerCenter.Core.Exports.DejaVuSans.ttf")
                           ?? throw new InvalidOperationException("The embedded font is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>Sets this resolver once per process (PDFsharp allows only one, set before the first font is used).</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (!ReferenceEquals(GlobalFontSettings.FontResolver, Instance)) GlobalFontSettings.FontResolver = Instance;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(Family, mustSimulateBold: bold, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => Bytes.Value;
}
