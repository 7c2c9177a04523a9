namespace Scanflow.Engine.Ledger;

/// <summary>The product types of the ledger's products table, named as the CCAT data products are.</summary>
public static class ProductTypes
{
    /// <summary>The L1 file.</summary>
    public const string Science = "SCIENCE";

    /// <summary>The scan's <c>.qa.json</c>.</summary>
    public const string QaMetric = "QA_METRIC";

    /// <summary>A PNG plot.</summary>
    public const string Plot = "PLOT";
}
