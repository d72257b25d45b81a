using Kefu.Bots.Faq;
using Kefu.Core.Bots;

namespace Kefu.Eval;

/// <summary>The files under eval/faq: entries, labelled paraphrases and out-of-scope questions.</summary>
internal sealed record EvalSet(IReadOnlyList<FaqEntry> Entries, IReadOnlyList<(string Expected, string Question)> Paraphrases, IReadOnlyList<string> OutOfScope)
{
    public static async Task<EvalSet> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        await using var json = File.OpenRead(Path.Combine(folder, "faq.json"));
        var entries = await FaqJson.ReadAsync(json, cancellationToken);
        var paraphrases = new List<(string, string)>();
        foreach (var line in await ReadLinesAsync(Path.Combine(folder, "paraphrases.tsv"), cancellationToken))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            paraphrases.Add((line[..tab], line[(tab + 1)..]));
        }
        var outOfScope = await ReadLinesAsync(Path.Combine(folder, "out-of-scope.tsv"), cancellationToken);
        return new EvalSet(entries, paraphrases, outOfScope);
    }

    private static async Task<List<string>> ReadLinesAsync(string path, CancellationToken cancellationToken)
    {
        var lines = await File.ReadAllLinesAsync(path, cancellationToken);
        return [.. lines.Where(l => l.Length > 0 && l[0] != '#')];
    }
}
