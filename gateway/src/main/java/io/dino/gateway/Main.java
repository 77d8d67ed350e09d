package io.dino.gateway; public class Main { public static void main(String[] a){} }
