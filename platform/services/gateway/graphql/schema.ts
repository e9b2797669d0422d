/** The public GraphQL schema, exactly as docs/platform.md publishes it. */
export const GATEWAY_SCHEMA = /* GraphQL */ `
  type Product {
    id: ID!
    sku: String!
    name: String!
    description: String!
    category: String!
    price: Float!
    stock: Int!
    related(limit: Int = 4): [Product!]!
  }
  type ProductPage {
    items: [Product!]!
    nextCursor: ID
  }
  type OrderItem {
    productId: ID!
    quantity: Int!
    unitPrice: Float!
    product: Product
  }
  type Order {
    id: ID!
    status: String!
    total: Float!
    createdAt: String!
    idempotencyKey: String!
    items: [OrderItem!]!
  }
  type User {
    id: ID!
    username: String!
    role: String!
  }
  type Query {
    product(id: ID!): Product
    products(limit: Int = 20, cursor: ID, category: String, q: String): ProductPage!
    me: User
    order(id: ID!): Order
    orders: [Order!]!
  }
  input OrderItemInput {
    productId: ID!
    quantity: Int!
  }
  type AuthPayload {
    accessToken: String!
    refreshToken: String!
    tokenType: String!
    expiresIn: Int!
  }
  type Mutation {
    placeOrder(idempotencyKey: String!, items: [OrderItemInput!]!): Order!
    login(username: String!, password: String!): AuthPayload
  }
`;
