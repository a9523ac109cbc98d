import { Quantity } from '../../../src/domain/money/index.js';
import type {
  ExistingSalesOrder,
  SalesOrderCommand,
  SalesOrderRoundingMethod,
  SalesOrderSettings,
} from '../../../src/domain/sales-order/index.js';
import { addLine, addTax, create, orderOf, setDiscount } from './sales-order-fixtures.js';

/** A worked totals example of docs/domain/sales-order.md: the commands, and the settings they run with. */
export interface DocExample {
  readonly title: string;
  readonly settings?: SalesOrderSettings;
  readonly commands: readonly SalesOrderCommand[];
}

export const DOC_EXAMPLES: readonly DocExample[] = [
  {
    title: 'Example 1: a fixed discount on the net total, and a VAT row (USD, half-even)',
    commands: [
      create(),
      addLine('L1', {
        itemCode: 'WIDGET',
        qty: '3',
        rate: undefined,
        priceListRate: '19.99',
        discountPercentage: '10',
      }),
      addLine('L2', { itemCode: 'GADGET', qty: '7', rate: '4.35' }),
      addLine('L3', { itemCode: 'BOLT', qty: '2.5', rate: '0.99' }),
      setDiscount({ kind: 'amount', amount: '7.77', applyOn: 'net_total' }),
      addTax({ taxId: 'VAT', description: 'VAT 8.25 %', kind: 'on_net_total', rate: '8.25' }),
    ],
  },
  {
    title: 'Example 2: 5 % off the grand total, VAT and a fixed freight charge, rounded to CHF 0.05',
    settings: { roundedTotal: true, smallestCurrencyFraction: { CHF: '0.05' } },
    commands: [
      create({ currency: 'CHF' }),
      addLine('L1', { qty: '3', rate: undefined, priceListRate: '19.99', discountPercentage: '10' }),
      addLine('L2', { itemCode: 'GADGET', qty: '7', rate: '4.35' }),
      setDiscount({ kind: 'percentage', percentage: '5', applyOn: 'grand_total' }),
      addTax({ taxId: 'VAT', description: 'VAT 7.7 %', kind: 'on_net_total', rate: '7.7' }),
      addTax({ taxId: 'FREIGHT', description: 'Freight', kind: 'actual', amount: '9.90' }),
    ],
  },
  {
    title: 'Example 3: the cent a grand-total discount loses to rounding (USD)',
    commands: [
      create(),
      addLine('L1', { qty: '1', rate: '10.00' }),
      setDiscount({ kind: 'amount', amount: '0.03', applyOn: 'grand_total' }),
      addTax({ taxId: 'VAT', description: 'VAT 19 %', kind: 'on_net_total', rate: '19' }),
    ],
  },
];

/** The markdown tables of an example, as the doc shows them. */
export function renderExample(example: DocExample): string {
  const order = orderOf(example.commands, example.settings);
  return renderOrder(example.title, order);
}

function renderOrder(title: string, order: ExistingSalesOrder): string {
  const { totals } = order;
  const lines = [
    `#### ${title}`,
    '',
    '| Line | Qty | Price-list rate | Discount % | Rate | Amount | Discount share | Net amount |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...order.lines.map(
      (line) =>
        `| ${line.lineId} | ${line.qty} | ${line.priceListRate} | ${line.discountPercentage} | ${line.rate} | ${line.amount} | ${line.discountAmount} | ${line.netAmount} |`,
    ),
    '',
  ];
  if (totals.taxes.length > 0) {
    lines.push(
      '| Tax row | Kind | Rate / amount | Tax amount | Cumulative total | Per line |',
      '|---|---|---:|---:|---:|---|',
      ...order.taxes.map((tax, index) => {
        const row = totals.taxes[index];
        const split = row?.lineAmounts.map((share) => `${share.lineId} ${share.amount}`).join(', ') ?? '';
        const setting = tax.kind === 'on_net_total' ? `${tax.rate} %` : tax.amount;
        return `| ${tax.description} | ${tax.kind} | ${setting} | ${row?.amount} | ${row?.total} | ${split} |`;
      }),
      '',
    );
  }
  lines.push(
    `| Figure (${order.currency}) | Value |`,
    '|---|---:|',
    `| Total | ${totals.total} |`,
    `| Discount amount | ${totals.discountAmount} |`,
    `| Net total | ${totals.netTotal} |`,
    `| Total taxes | ${totals.totalTaxes} |`,
    `| Discount rounding difference | ${totals.discountRoundingDifference} |`,
    `| **Grand total** | **${totals.grandTotal}** |`,
    `| Rounding adjustment | ${totals.roundingAdjustment ?? '(rounded total off)'} |`,
    `| Rounded total | ${totals.roundedTotal ?? '(rounded total off)'} |`,
  );
  return lines.join('\n');
}

/** The rounding-method table of the doc: line amounts of ties under each method. */
export function renderRoundingTable(): string {
  const cases = [
    { currency: 'USD', qty: '0.5', rate: '1.25' },
    { currency: 'USD', qty: '0.5', rate: '-1.25' },
    { currency: 'USD', qty: '0.5', rate: '2.01' },
    { currency: 'JPY', qty: '0.5', rate: '5' },
    { currency: 'JPY', qty: '0.5', rate: '7' },
  ];
  const methods: readonly SalesOrderRoundingMethod[] = ['half-even', 'commercial', 'erpnext-legacy'];
  const amount = (item: (typeof cases)[number], method: SalesOrderRoundingMethod) =>
    orderOf([create({ currency: item.currency }), addLine('L1', { qty: item.qty, rate: item.rate })], {
      roundingMethod: method,
    }).lines[0]?.amount;
  return [
    '| Currency | Qty × rate | Exact | half-even | commercial | erpnext-legacy |',
    '|---|---|---:|---:|---:|---:|',
    ...cases.map((item) => {
      const exact = Quantity.of(item.qty).multiply(item.rate).value;
      return `| ${item.currency} | ${item.qty} × ${item.rate} | ${exact} | ${methods.map((method) => amount(item, method)).join(' | ')} |`;
    }),
  ].join('\n');
}
