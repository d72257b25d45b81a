using Kefu.Bots.Faq;
using Kefu.Core.Bots;

namespace Kefu.Bots.Tests;

public sealed class FaqTransferTests
{
    private static readonly FaqEntry[] Tricky =
    [
        new("a", "s1", "Refund, \"fast\"?", ["money back", "退钱"], "Line one,\nline \"two\"\r\nline three", "billing"),
        new("b", "s1", "发货时间？", [], "48 小时内，周末顺延。", null),
    ];

    [Fact]
    public async Task Csv_export_then_import_gives_back_the_same_entries()
    {
        using var stream = new MemoryStream();
        await FaqCsv.WriteAsync(stream, Tricky, CancellationToken.None).Within();
        stream.Position = 0;

        var read = await FaqCsv.ReadAsync(stream, CancellationToken.None).Within();

        AssertSame(Tricky, read);
    }

    [Fact]
    public async Task Json_export_then_import_gives_back_the_same_entries()
    {
        using var stream = new MemoryStream();
        await FaqJson.WriteAsync(stream, Tricky, CancellationToken.None).Within();
        stream.Position = 0;

        var read = await FaqJson.ReadAsync(stream, CancellationToken.None).Within();

        AssertSame(Tricky, read);
    }

    [Fact]
    public async Task An_entry_without_an_answer_is_refused_naming_it()
    {
        using var stream = new MemoryStream("""[{"id":"x1","siteId":"s1","question":"q","answer":""}]"""u8.ToArray());

        var error = await Assert.ThrowsAsync<FormatException>(() => FaqJson.ReadAsync(stream, CancellationToken.None)).Within();

        Assert.Contains("x1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_without_the_header_is_refused()
    {
        using var stream = new MemoryStream("a,b,c\n"u8.ToArray());

        await Assert.ThrowsAsync<FormatException>(() => FaqCsv.ReadAsync(stream, CancellationToken.None)).Within();
    }

    [Fact]
    public async Task The_evaluation_set_imports_and_answers_its_own_questions()
    {
        await using var file = File.OpenRead(Path.Combine(RepoRoot(), "eval", "faq", "faq.json"));
        var entries = await FaqJson.ReadAsync(file, CancellationToken.None).Within();
        var index = new FaqIndex();
        foreach (var entry in entries)
        {
            index.Upsert(entry);
        }

        Assert.True(entries.Count >= 50);
        Assert.All(entries, e => Assert.Equal(e.Id, index.Search(e.SiteId, e.Question).Top?.Entry.Id));
    }

    private static void AssertSame(FaqEntry[] expected, IReadOnlyList<FaqEntry> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i] with { Alternates = [] }, actual[i] with { Alternates = [] });
            Assert.Equal(expected[i].Alternates, actual[i].Alternates);
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kefu.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("Repository root (Kefu.slnx) not found.");
    }
}
