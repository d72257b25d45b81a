using Kefu.Bots.Llm;
using Kefu.Core.Bots;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Bots.Tests;

public sealed class LlmBotTests : IAsyncLifetime
{
    private FakeOpenAiServer _server = null!;
    private IChatClient _client = null!;
    private LlmOptions _options = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeOpenAiServer.StartAsync();
        _options = new LlmOptions
        {
            BaseUrl = _server.BaseUrl,
            Model = "test-model",
            ApiKey = "test-key",
            // Generous, so a loaded machine never fails the answer tests; the stall test uses its own.
            Timeout = TimeSpan.FromSeconds(5),
            BreakDuration = TimeSpan.FromMinutes(5),
        };
        _client = LlmChatClientFactory.Create(_options);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    private LlmBot Bot() => new(_client, SampleFaq.Index(), _options, TimeProvider.System, NullLogger<LlmBot>.Instance);

    [Fact]
    public async Task It_answers_grounded_on_the_retrieved_faq_entries()
    {
        _server.Reply = "您可以在“我的订单”里申请退款，1-3 个工作日到账。";

        var reply = await Bot().AnswerAsync(Contexts.Ask("退款要怎么弄？"), CancellationToken.None).Within();

        Assert.Equal(_server.Reply, reply?.Text);
        Assert.Equal(_options.Confidence, reply!.Confidence);
        Assert.Contains("如何申请退款？", _server.LastPrompt, StringComparison.Ordinal);
        Assert.Contains("审核通过后 1-3 个工作日原路退回", _server.LastPrompt, StringComparison.Ordinal);
        Assert.Contains(LlmBot.NoAnswer, _server.LastPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_entries_do_not_cover_the_question_it_returns_nothing()
    {
        _server.Reply = LlmBot.NoAnswer;

        Assert.Null(await Bot().AnswerAsync(Contexts.Ask("退款和发票一起办可以吗"), CancellationToken.None).Within());
    }

    [Fact]
    public async Task A_slow_model_returns_nothing_once_the_timeout_passes()
    {
        var options = _options with { Timeout = TimeSpan.FromSeconds(1) };
        using var client = LlmChatClientFactory.Create(options);
        var bot = new LlmBot(client, SampleFaq.Index(), options, TimeProvider.System, NullLogger<LlmBot>.Instance);
        // One answered question first: on a loaded machine the first request's connection and compilation
        // alone could outlast the timeout, and then the stalled model would never be asked.
        _server.Reply = "您可以在“我的订单”里申请退款。";
        await bot.AnswerAsync(Contexts.Ask("怎么退款"), CancellationToken.None).Within();
        var asked = _server.Requests;

        _server.Mode = FakeOpenAiServer.Behaviour.Stall;
        Assert.Null(await bot.AnswerAsync(Contexts.Ask("怎么退款"), CancellationToken.None).Within());
        Assert.Equal(asked + 1, _server.Requests);
    }

    [Fact]
    public async Task During_an_outage_the_circuit_opens_and_the_model_is_no_longer_called()
    {
        _server.Mode = FakeOpenAiServer.Behaviour.Fail;
        var bot = Bot();
        for (var i = 0; i < _options.MinimumThroughput; i++)
        {
            Assert.Null(await bot.AnswerAsync(Contexts.Ask("怎么退款"), CancellationToken.None).Within());
        }
        var calls = _server.Requests;
        _server.Mode = FakeOpenAiServer.Behaviour.Answer;

        Assert.Null(await bot.AnswerAsync(Contexts.Ask("怎么退款"), CancellationToken.None).Within());
        Assert.Equal(calls, _server.Requests);
    }

    [Fact]
    public async Task An_unreachable_endpoint_returns_nothing()
    {
        var port = _server.BaseUrl;
        await _server.DisposeAsync();
        _server = await FakeOpenAiServer.StartAsync();
        using var client = LlmChatClientFactory.Create(_options with { BaseUrl = port });
        var bot = new LlmBot(client, SampleFaq.Index(), _options, TimeProvider.System, NullLogger<LlmBot>.Instance);

        Assert.Null(await bot.AnswerAsync(Contexts.Ask("怎么退款"), CancellationToken.None).Within());
    }

    [Fact]
    public async Task With_no_entry_to_ground_on_the_model_is_not_called()
    {
        var empty = new LlmBot(_client, new Faq.FaqIndex(), _options, TimeProvider.System, NullLogger<LlmBot>.Instance);

        Assert.Null(await empty.AnswerAsync(Contexts.Ask("怎么退款"), CancellationToken.None).Within());
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public void It_is_off_unless_a_base_url_and_model_are_configured()
    {
        Assert.False(new LlmOptions().IsConfigured);
        Assert.Throws<InvalidOperationException>(() => LlmChatClientFactory.Create(new LlmOptions()));
        Assert.Throws<ArgumentException>(() => new LlmOptions { BaseUrl = "not a url", Model = "m" }.Validate());
    }

    [Fact]
    public async Task Recent_history_is_part_of_the_prompt()
    {
        var context = Contexts.Ask("那要多久？") with { History = [new BotTurn("visitor", "我申请了退款"), new BotTurn("bot", "好的")] };

        await Bot().AnswerAsync(context, CancellationToken.None).Within();

        Assert.Contains("我申请了退款", _server.LastPrompt, StringComparison.Ordinal);
    }
}
