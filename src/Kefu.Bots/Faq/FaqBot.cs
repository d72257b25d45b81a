using Kefu.Bots.Text;
using Kefu.Core.Bots;
using Kefu.Core.Ids;

namespace Kefu.Bots.Faq;

/// <summary>
/// Answers from the knowledge base. A confident match answers with the entry's text; a plausible one
/// offers the top questions as quick replies (picking one sends the question, which then matches
/// exactly); below that it says nothing, so the next bot may try.
/// </summary>
public sealed class FaqBot(FaqCatalog catalog, TimeProvider time, FaqBotOptions? options = null) : IBot
{
    private readonly FaqBotOptions _options = options ?? new FaqBotOptions();

    public string Name => "faq";

    public ValueTask<BotReply?> AnswerAsync(BotContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var index = catalog.Index;
        return ValueTask.FromResult(ToReply(index.Search(context.SiteId, context.Question, index.Options.SuggestionCount), context.Question));
    }

    /// <summary>Adds each pair as an alternate of the entry that already gives that answer, or as a new entry.</summary>
    public async ValueTask TrainAsync(IReadOnlyList<TrainingPair> pairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var pair in pairs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var same = catalog.Index.List(pair.SiteId).FirstOrDefault(e => string.Equals(e.Answer.Trim(), pair.Answer.Trim(), StringComparison.Ordinal));
            if (same is not null)
            {
                await catalog.AddAlternateAsync(same.Id, pair.Question, cancellationToken);
                continue;
            }
            var entry = new FaqEntry(IdGenerator.New("faq", time.GetUtcNow()), pair.SiteId, pair.Question, [], pair.Answer, pair.Category);
            await catalog.UpsertAsync(entry, cancellationToken);
        }
    }

    private BotReply? ToReply(FaqSearchResult result, string question)
    {
        if (result.Top is not { } top)
        {
            return null;
        }
        switch (result.Band)
        {
            case FaqBand.Answer:
                return BotReply.FromText(top.Entry.Answer, top.Confidence) with { SourceId = top.Entry.Id };
            case FaqBand.Suggest:
                var prompt = Script.IsMostlyChinese(question) ? _options.SuggestionPromptChinese : _options.SuggestionPromptEnglish;
                var options = result.Matches.Select(m => new QuickReplyOption(m.Entry.Question, m.Entry.Question)).ToList();
                return BotReply.FromOptions(prompt, options, top.Confidence) with { SourceId = top.Entry.Id };
            default:
                return null;
        }
    }
}
