using Kefu.Bots.Faq;
using Kefu.Core.Bots;

namespace Kefu.Bots.Tests;

/// <summary>A small knowledge base in both languages for retrieval tests.</summary>
internal static class SampleFaq
{
    public static readonly FaqEntry[] Entries =
    [
        new("refund", "s1", "如何申请退款？", ["怎么退款"], "在“我的订单”中点击“申请退款”，审核通过后 1-3 个工作日原路退回。", "售后"),
        new("ship-time", "s1", "什么时候发货？", ["发货时间"], "现货商品付款后 48 小时内发货。", "物流"),
        new("track", "s1", "怎么查物流？", ["查询快递进度"], "在“我的订单”中点击“查看物流”即可看到实时进度。", "物流"),
        new("password", "s1", "忘记密码怎么办？", ["重置密码"], "在登录页点击“忘记密码”，通过短信验证码设置新密码。", "账户"),
        new("invoice", "s1", "怎么开发票？", ["开具发票"], "在订单完成后到“发票管理”申请电子发票。", "支付"),
        new("en-refund", "s1", "How do I request a refund?", ["Refund request"], "Open the order and choose Request refund; it reaches you within 5 business days.", "orders"),
        new("en-password", "s1", "How do I reset my password?", ["Forgot password"], "Click Forgot password on the sign-in page and follow the emailed link.", "account"),
        new("en-track", "s1", "How can I track my package?", ["Tracking number"], "Use the tracking link in your shipping confirmation email.", "shipping"),
        new("en-cancel-sub", "s1", "How do I cancel my subscription?", ["Turn off auto-renewal"], "Go to Billing > Subscription > Cancel.", "billing"),
        new("other-site", "s2", "如何申请退款？", [], "Site two's refund answer.", "售后"),
    ];

    /// <summary>A catalog over <paramref name="store"/> (by default a store holding <see cref="Entries"/>), with the entries indexed.</summary>
    public static FaqCatalog Catalog(IFaqStore? store = null)
    {
        var catalog = new FaqCatalog(store ?? new InMemoryFaqStore(Entries), new FaqIndex());
        foreach (var entry in Entries)
        {
            catalog.Index.Upsert(entry);
        }
        return catalog;
    }

    public static FaqIndex Index(FaqOptions? options = null)
    {
        var index = new FaqIndex(options);
        foreach (var entry in Entries)
        {
            index.Upsert(entry);
        }
        return index;
    }
}
