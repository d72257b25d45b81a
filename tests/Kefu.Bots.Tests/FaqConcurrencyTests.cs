namespace Kefu.Bots.Tests;

public sealed class FaqConcurrencyTests
{
    [Fact]
    public async Task Searches_running_while_entries_change_always_see_a_consistent_index()
    {
        var index = SampleFaq.Index();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                index.Upsert(new($"tmp{i % 50}", "s1", $"临时问题 {i} 怎么退款", [$"temporary question {i}"], "临时答案"));
                if (i % 3 == 0)
                {
                    index.Remove($"tmp{(i + 7) % 50}");
                }
            }
        });
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var searches = 0;
            while (!writer.IsCompleted)
            {
                var result = index.Search("s1", "如何申请退款？");
                Assert.NotNull(result.Top);
                Assert.All(result.Matches, m => Assert.InRange(m.Confidence, 0.0, 1.0));
                searches++;
            }
            return searches;
        })).ToArray();

        await writer.Within();
        await Task.WhenAll(readers).Within();

        Assert.Equal("refund", index.Search("s1", "如何申请退款？").Top?.Entry.Id);
    }
}
