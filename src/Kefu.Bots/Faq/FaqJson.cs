using System.Text.Json;
using Kefu.Core.Bots;

namespace Kefu.Bots.Faq;

/// <summary>FAQ import and export as a JSON array of entries (camelCase, the shape of <see cref="FaqEntry"/>).</summary>
public static class FaqJson
{
    public static async Task<IReadOnlyList<FaqEntry>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var entries = await JsonSerializer.DeserializeAsync(stream, FaqJsonContext.Default.ListFaqEntry, cancellationToken)
            ?? throw new FormatException("The FAQ JSON is null; expected an array of entries.");
        foreach (var entry in entries)
        {
            FaqValidation.Check(entry);
        }
        return entries;
    }

    public static Task WriteAsync(Stream stream, IEnumerable<FaqEntry> entries, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, entries.ToList(), FaqJsonContext.Default.ListFaqEntry, cancellationToken);
}
