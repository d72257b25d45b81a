using System.Text;
using Kefu.Core.Bots;

namespace Kefu.Bots.Faq;

/// <summary>
/// FAQ import and export as CSV (RFC 4180: quoted fields may hold commas, quotes and line breaks),
/// columns <c>id,siteId,question,alternates,answer,category</c>; alternates are joined with " | ",
/// which is how admins edit them in a spreadsheet.
/// </summary>
public static class FaqCsv
{
    private const string Header = "id,siteId,question,alternates,answer,category";
    private const string AlternateSeparator = " | ";

    public static async Task<IReadOnlyList<FaqEntry>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var text = await reader.ReadToEndAsync(cancellationToken);
        var rows = CsvParser.Parse(text);
        if (rows.Count == 0 || !string.Equals(string.Join(',', rows[0]), Header, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"The FAQ CSV must start with the header '{Header}'.");
        }
        var entries = new List<FaqEntry>(rows.Count - 1);
        for (var i = 1; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row.Count == 1 && row[0].Length == 0)
            {
                continue;
            }
            if (row.Count != 6)
            {
                throw new FormatException($"FAQ CSV line {i + 1} has {row.Count} fields; expected 6.");
            }
            var alternates = row[3].Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            entries.Add(FaqValidation.Check(new FaqEntry(row[0], row[1], row[2], alternates, row[4], row[5].Length == 0 ? null : row[5])));
        }
        return entries;
    }

    public static async Task WriteAsync(Stream stream, IEnumerable<FaqEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var builder = new StringBuilder().Append(Header).Append("\r\n");
        foreach (var entry in entries)
        {
            Field(builder, entry.Id).Append(',');
            Field(builder, entry.SiteId).Append(',');
            Field(builder, entry.Question).Append(',');
            Field(builder, string.Join(AlternateSeparator, entry.Alternates)).Append(',');
            Field(builder, entry.Answer).Append(',');
            Field(builder, entry.Category ?? "").Append("\r\n");
        }
        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        await stream.WriteAsync(bytes, cancellationToken);
    }

    private static StringBuilder Field(StringBuilder builder, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            return builder.Append(value);
        }
        return builder.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
